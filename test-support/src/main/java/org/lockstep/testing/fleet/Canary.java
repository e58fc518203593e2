package org.lockstep.testing.fleet;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lockstep.testing.Http;

/**
 * The producer and consumer of the incident (docs/design.md), looping as fast as they can on a thread of their own:
 * the producer learns {@code latest} of a schema from a random host, the consumer asks a random host for exactly
 * that version. A round misses when either answer is not a 200 (or {@code latest} names no version). With
 * read-through served by every host, no round may miss however the fleet switches.
 */
public final class Canary implements AutoCloseable {

    private static final Pattern VERSION = Pattern.compile("\\$id: /([^/\\s]+)/(\\S+)");

    private final List<Nginx> hosts;

    private final String schemaUrl;

    private final AtomicLong requests = new AtomicLong();

    private final AtomicLong misses = new AtomicLong();

    private final List<String> missed = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final AtomicBoolean running = new AtomicBoolean(true);

    private final Thread thread = new Thread(this::loop, "canary");

    /** {@code schema}'s versions under {@code /repositories/<repo>/jsonschema/<schema>/} of every host. */
    public Canary(List<Nginx> hosts, String repo, String schema) {
        this.hosts = List.copyOf(hosts);
        this.schemaUrl = "/repositories/" + repo + "/jsonschema/" + schema + "/";
    }

    public Canary start() {
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Stops the loop and waits for the round in progress. */
    public void stop() {
        running.set(false);
        try {
            thread.join(10_000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Rounds done (each a producer and a consumer request, or a failed producer request). */
    public long requests() {
        return requests.get();
    }

    public long misses() {
        return misses.get();
    }

    /** The first misses, in words (host and answer), for the failure message. */
    public List<String> missed() {
        return List.copyOf(missed);
    }

    @Override
    public void close() {
        stop();
    }

    private void loop() {
        Random random = new Random();
        while (running.get()) {
            Nginx producer = hosts.get(random.nextInt(hosts.size()));
            Http.Fetched latest = producer.get(schemaUrl + "latest");
            Matcher version = VERSION.matcher(latest.body());
            if (latest.status() != 200 || !version.find()) {
                miss("latest from " + producer.url("") + ": " + latest); // not even latest: also a failed request
                continue;
            }
            Nginx consumer = hosts.get(random.nextInt(hosts.size()));
            Http.Fetched schema = consumer.get(schemaUrl + version.group(2));
            if (schema.status() != 200) {
                miss(version.group(2) + " from " + consumer.url("") + ": " + schema);
                continue;
            }
            requests.incrementAndGet();
        }
    }

    private void miss(String what) {
        misses.incrementAndGet();
        requests.incrementAndGet();
        if (missed.size() < 20) {
            missed.add(what);
        }
    }
}

package org.lockstep.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;

import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.Tokens;

import tools.jackson.databind.JsonNode;

/**
 * N simulated agents speaking the real protocol to one manifest over HTTP/1.1: each holds a long-poll on
 * {@code GET .../desired?since=N} and polls again with the answer's revision (over its own keep-alive connection,
 * {@link HeldPolls}), and sends reports ({@code POST .../report}, JDK {@link HttpClient}, one connection per report in
 * flight) with its own session and a growing sequence, as the agent does. What a host has on disk is whatever the
 * benchmark last told it to report.
 */
final class FleetAgents implements AutoCloseable {

    static final String REPO = "primary";

    private final String base;

    private final List<String> hosts;

    private final ExecutorService callbacks = Executors.newFixedThreadPool(2);

    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();

    /** Host i talks through {@code clients[i % clients.length]}. */
    private final HttpClient[] clients;

    private final String[] sessions;

    private final AtomicLongArray sequences;

    /** The revision each host's poll in flight waits after (-1: no poll in flight). */
    private final AtomicLongArray held;

    /** The commit each host reports for {@code current} and {@code next} (either may be null). */
    private final AtomicReferenceArray<String[]> disk;

    /** The active commit each host's polls last brought, with when (System.nanoTime) it first came. */
    private final AtomicReferenceArray<String> active;

    private final AtomicLongArray activeAt;

    /** The long-polls; reports go through {@link #clients}. */
    private final HeldPolls polls;

    private final AtomicInteger errors = new AtomicInteger();

    private volatile boolean closed;

    FleetAgents(String base, List<String> hosts, int clients) {
        this.base = base;
        this.hosts = List.copyOf(hosts);
        this.clients = IntStream.range(0, clients).mapToObj(c -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).executor(callbacks).connectTimeout(Duration.ofSeconds(30))
                .build()).toArray(HttpClient[]::new);
        this.sessions = hosts.stream().map(h -> UUID.randomUUID().toString()).toArray(String[]::new);
        this.sequences = new AtomicLongArray(hosts.size());
        this.held = new AtomicLongArray(hosts.size());
        this.disk = new AtomicReferenceArray<>(hosts.size());
        this.active = new AtomicReferenceArray<>(hosts.size());
        this.activeAt = new AtomicLongArray(hosts.size());
        this.polls = new HeldPolls(base, hosts.size(), i -> "Bearer " + Tokens.agent(hosts.get(i)), this::polled);
        IntStream.range(0, hosts.size()).forEach(i -> {
            held.set(i, -1);
            disk.set(i, new String[2]);
        });
    }

    int size() {
        return hosts.size();
    }

    /** Starts every host's long-poll, {@code batch} connections at a time so the accept queue is not overrun. */
    void startPolls(int batch) throws InterruptedException {
        for (int i = 0; i < hosts.size(); i++) {
            poll(i, 0);
            if (i % batch == batch - 1) {
                Thread.sleep(50);
            }
        }
    }

    /** How many hosts have a poll in flight that waits after {@code revision}. */
    int heldAt(long revision) {
        int count = 0;
        for (int i = 0; i < hosts.size(); i++) {
            count += held.get(i) == revision ? 1 : 0;
        }
        return count;
    }

    /** How many hosts' polls have brought {@code commit} as active. */
    int seeActive(String commit) {
        int count = 0;
        for (int i = 0; i < hosts.size(); i++) {
            count += commit.equals(active.get(i)) ? 1 : 0;
        }
        return count;
    }

    /** When (System.nanoTime) host {@code i}'s poll brought the active commit it last brought. */
    long activeAt(int i) {
        return activeAt.get(i);
    }

    int errors() {
        return errors.get();
    }

    /** From now on host {@code i} reports {@code current} and {@code next}. */
    void has(int i, String current, String next) {
        disk.set(i, new String[] {current, next});
    }

    /**
     * Host {@code i} sends one report of what it has; completes with the answer (status, body) and the latency in
     * nanoseconds.
     */
    CompletableFuture<Answer> report(int i) {
        String[] has = disk.get(i);
        String body = "{\"sentAt\":\"" + Instant.now() + "\",\"revision\":" + Math.max(0, held.get(i))
                + ",\"session\":\"" + sessions[i] + "\",\"sequence\":" + sequences.incrementAndGet(i)
                + ",\"repos\":[{\"repo\":\"" + REPO + "\",\"current\":" + quoted(has[0]) + ",\"next\":"
                + quoted(has[1]) + "}]}";
        HttpRequest request = request("/api/v1/agents/" + hosts.get(i) + "/report", i)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long sent = System.nanoTime();
        return client(i).sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            long nanos = System.nanoTime() - sent;
            if (failure != null || response.statusCode() != 200) {
                errors.incrementAndGet();
                return new Answer(failure != null ? -1 : response.statusCode(), null, nanos);
            }
            return new Answer(200, response.body(), nanos);
        });
    }

    /** The {@code active} commit of {@link #REPO} in a desired state's JSON. */
    static String activeOf(String desired) {
        for (JsonNode repo : ManifestApi.JSON.readTree(desired).path("repos")) {
            if (REPO.equals(repo.path("repo").asString())) {
                return repo.path("active").isNull() ? null : repo.path("active").asString();
            }
        }
        return null;
    }

    private void poll(int i, long since) {
        if (closed) {
            return;
        }
        held.set(i, since);
        polls.poll(i, "/api/v1/agents/" + hosts.get(i) + "/desired?since=" + since);
    }

    /** On the polls' selector thread: a poll's answer arrived at {@code arrived} (System.nanoTime). */
    private void polled(int i, long arrived, int status, String body) {
        long since = held.getAndSet(i, -1);
        if (closed) {
            return;
        }
        if (status != 200) {
            errors.incrementAndGet();
            retries.schedule(() -> poll(i, since), 1, TimeUnit.SECONDS);
            return;
        }
        String commit = activeOf(body);
        if (commit != null && !commit.equals(active.get(i))) {
            activeAt.set(i, arrived);
            active.set(i, commit);
        }
        poll(i, ManifestApi.JSON.readTree(body).path("revision").asLong());
    }

    private HttpRequest.Builder request(String path, int i) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization",
                "Bearer " + Tokens.agent(hosts.get(i)));
    }

    private static String quoted(String commit) {
        return commit == null ? "null" : "\"" + commit + "\"";
    }

    private HttpClient client(int i) {
        return clients[i % clients.length];
    }

    /**
     * Stops polling and closes the polls' connections; the reports' close with their executor (Java 17's HttpClient
     * has no close).
     */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        retries.shutdownNow();
        polls.close();
        callbacks.shutdownNow();
    }

    /** A report's answer: status 200 with the desired state, else the status (-1: no answer) and no body. */
    record Answer(int status, String body, long nanos) {
    }
}

package org.lockstep.testing.fleet;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lockstep.testing.Http;

/**
 * The producer and consumer of the incident (docs/design.md), looping as fast as they can on a thread of their own:
 * the producer learns {@code latest} of a schema from a random host, the consumer asks a random host for exactly
 * that version. A round misses when either answer is not a 200 (or {@code latest} names no version). With
 * read-through served by every host, no round may miss however the fleet switches.
 */
public final class Canary extends ReaderLoop {

    static final Pattern VERSION = Pattern.compile("\\$id: /([^/\\s]+)/(\\S+)");

    private final String schemaUrl;

    /** {@code schema}'s versions under {@code /repositories/<repo>/jsonschema/<schema>/} of every host. */
    public Canary(List<Nginx> hosts, String repo, String schema) {
        super("canary", hosts);
        this.schemaUrl = "/repositories/" + repo + "/jsonschema/" + schema + "/";
    }

    public Canary start() {
        begin();
        return this;
    }

    @Override
    Optional<String> round() {
        Nginx producer = anyHost();
        Http.Fetched latest = producer.get(schemaUrl + "latest");
        Matcher version = VERSION.matcher(latest.body());
        if (latest.status() != 200 || !version.find()) {
            return Optional.of("latest from " + producer.url("") + ": " + latest); // also a failed request
        }
        Nginx consumer = anyHost();
        Http.Fetched schema = consumer.get(schemaUrl + version.group(2));
        if (schema.status() != 200) {
            return Optional.of(version.group(2) + " from " + consumer.url("") + ": " + schema);
        }
        return Optional.empty();
    }
}

package org.lockstep.testing.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lockstep.testing.Dirs;
import org.lockstep.testing.Processes;

/**
 * The consumer against two real nginx hosts serving hand-made releases with read-through: it counts a round whose
 * {@code $ref} resolves on both hosts as good, and a 404 or another schema behind the {@code $ref} as a miss.
 */
class CrossRepoConsumerTests {

    private static final String REF = "/repositories/primary/jsonschema/test-event/1.0.1";

    private final Path root = Dirs.worldReadableTempDir("lockstep-consumer-");

    private final List<Nginx> hosts = new ArrayList<>();

    @AfterEach
    void stop() {
        hosts.forEach(Nginx::close);
        Dirs.delete(root);
    }

    @Test
    void aReferenceEveryHostServesNeverMisses() throws IOException {
        host("a", "/test-event/1.0.1");
        host("b", "/test-event/1.0.1");

        CrossRepoConsumer consumer = readFor(200);

        assertThat(consumer.misses()).as("misses: %s", consumer.missed()).isZero();
    }

    @Test
    void aHostWithoutTheReferencedSchemaIsAMiss() throws IOException {
        host("a", "/test-event/1.0.1");
        host("b", null);

        CrossRepoConsumer consumer = readFor(200);

        assertThat(consumer.misses()).isPositive().isLessThan(consumer.requests());
        assertThat(consumer.missed()).allMatch(miss -> miss.startsWith(REF + " from " + hosts.get(1).url(""))
                && miss.contains("404"));
    }

    @Test
    void anotherSchemaBehindTheReferenceIsAMiss() throws IOException {
        host("a", "/test-event/1.0.1");
        host("b", "/test-event/1.0.0");

        CrossRepoConsumer consumer = readFor(200);

        assertThat(consumer.misses()).isPositive();
        assertThat(consumer.missed()).allMatch(miss -> miss.contains("is another schema"));
    }

    /** Runs the consumer until it has made {@code rounds} rounds; returns it stopped. */
    private CrossRepoConsumer readFor(int rounds) {
        CrossRepoConsumer consumer = new CrossRepoConsumer(hosts, "secondary", "derived-event").start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> consumer.requests() >= rounds);
        }
        finally {
            consumer.stop();
        }
        return consumer;
    }

    /**
     * A host whose {@code secondary} release has {@code derived-event/latest} referring to {@link #REF}, and whose
     * {@code primary} release has, at that path, a schema with {@code $id} {@code primaryId} (none when null).
     */
    private void host(String name, String primaryId) throws IOException {
        Path base = Dirs.worldReadable(root.resolve(name));
        release(base, "secondary", "jsonschema/derived-event/latest", """
                title: derived-event
                $id: /derived-event/1.0.1
                allOf:
                  - $ref: %s
                """.formatted(REF));
        release(base, "primary", "jsonschema/test-event/1.0.1", primaryId == null ? null : """
                title: test-event
                $id: %s
                """.formatted(primaryId));
        String servers = Nginx.readThrough(base, "primary") + Nginx.readThrough(base, "secondary");
        hosts.add(Nginx.around(root.resolve("nginx-" + name), Processes.freePort(), servers));
    }

    private static void release(Path base, String repo, String path, String content) throws IOException {
        Path release = Files.createDirectories(base.resolve(repo).resolve("releases/r1"));
        Files.writeString(release.resolve("README"), repo + "\n");
        if (content != null) {
            Path file = release.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        }
        Files.createSymbolicLink(base.resolve(repo).resolve("current"), Path.of("releases/r1"));
    }
}

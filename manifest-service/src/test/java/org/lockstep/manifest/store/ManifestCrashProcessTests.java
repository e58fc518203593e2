package org.lockstep.manifest.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.manifest.testing.Api;
import org.lockstep.manifest.testing.Api.Response;
import org.lockstep.manifest.testing.Tokens;
import org.lockstep.manifest.testing.UpstreamRepository;

import tools.jackson.databind.JsonNode;

/**
 * Invariant 4 with the real jar: a target acknowledged with 2xx survives {@code kill -9} and a restart on the same
 * data-dir. Runs with failsafe, after {@code package} has built {@code target/manifest-service.jar}.
 */
class ManifestCrashProcessTests {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    @Test
    void acknowledgedTargetSurvivesKillDashNine() throws Exception {
        UpstreamRepository upstream = UpstreamRepository.create(temp.resolve("upstream"));
        upstream.commit("initial");
        String first = upstream.commit("first target");
        String second = upstream.commit("second target");
        int port = freePort();
        Path config = writeConfig(upstream, port);
        Api api = new Api(port);

        Process manifest = start(config, "run-1");
        awaitHealthy(api, manifest);
        Response created = api.put("/api/v1/repos/primary/target", Tokens.CI,
                Map.of("commit", first, "reason", "before the crash"));
        assertThat(created.status()).as("%s", created).isEqualTo(202);
        Response superseding = api.put("/api/v1/repos/primary/target", Tokens.CI,
                Map.of("commit", second, "reason", "acknowledged just before kill -9"));
        assertThat(superseding.status()).as("%s", superseding).isEqualTo(202);
        JsonNode repoBefore = api.get("/api/v1/repos/primary").json();
        JsonNode historyBefore = api.get("/api/v1/repos/primary/rollouts").json();
        JsonNode desiredBefore = api.get("/api/v1/agents/h1/desired?since=-1", Tokens.agent("h1")).json();

        manifest.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no store close
        assertThat(manifest.waitFor()).isEqualTo(137);

        Process restarted = start(config, "run-2");
        awaitHealthy(api, restarted);
        JsonNode repoAfter = api.get("/api/v1/repos/primary").json();
        JsonNode historyAfter = api.get("/api/v1/repos/primary/rollouts").json();
        JsonNode desiredAfter = api.get("/api/v1/agents/h1/desired?since=-1", Tokens.agent("h1")).json();

        assertThat(repoAfter.path("target").asString()).isEqualTo(second);
        assertThat(without(repoAfter)).isEqualTo(without(repoBefore));
        assertThat(historyAfter.path("total").asLong()).isEqualTo(2);
        assertThat(historyAfter.path("items").size()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            JsonNode before = historyBefore.path("items").path(i);
            JsonNode after = historyAfter.path("items").path(i);
            for (String field : List.of("id", "commit", "state", "createdBy", "reason", "createdAt", "events")) {
                assertThat(after.path(field)).as("%s of rollout %d", field, i).isEqualTo(before.path(field));
            }
        }
        assertThat(historyAfter.path("items").path(0).path("state").asString()).isEqualTo("PREPARING");
        assertThat(historyAfter.path("items").path(1).path("state").asString()).isEqualTo("SUPERSEDED");
        assertThat(desiredAfter.path("storeId").asString()).isEqualTo(desiredBefore.path("storeId").asString())
                .isNotBlank();
        assertThat(desiredAfter.path("revision").asLong()).isEqualTo(desiredBefore.path("revision").asLong());
        assertThat(desiredAfter.path("repos")).isEqualTo(desiredBefore.path("repos"));
    }

    /** The status minus what is about this process rather than the store (when hosts were last heard from). */
    private static JsonNode without(JsonNode repo) {
        JsonNode copy = repo.deepCopy();
        copy.path("hosts").valueStream().forEach(h -> ((tools.jackson.databind.node.ObjectNode) h).remove("lastSeen"));
        return copy;
    }

    private Path writeConfig(UpstreamRepository upstream, int port) throws IOException {
        String yaml = """
                server:
                  port: %d
                lockstep:
                  manifest:
                    data-dir: %s
                    poll-timeout: 2s
                    repos:
                      primary:
                        url: %s
                        branch: main
                        hosts: [h1, h2]
                    tokens:
                      - name: ci-pipeline
                        sha256: %s
                        role: ci
                        repos: [primary]
                      - name: agent-h1
                        sha256: %s
                        role: agent
                        host: h1
                """.formatted(port, temp.resolve("data"), upstream.url(), Tokens.sha256(Tokens.CI),
                Tokens.sha256(Tokens.agent("h1")));
        Path config = temp.resolve("manifest.yaml");
        Files.writeString(config, yaml);
        return config;
    }

    private Process start(Path config, String name) throws IOException {
        Path jar = Path.of(System.getProperty("manifest.jar", "target/manifest-service.jar")).toAbsolutePath();
        assertThat(jar).as("built by mvn package").exists();
        Path home = Files.createDirectories(temp.resolve("home"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--spring.config.additional-location=" + config.toUri())
                .redirectErrorStream(true).redirectOutput(temp.resolve(name + ".log").toFile());
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        builder.environment().put("HOME", home.toString());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private void awaitHealthy(Api api, Process process) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("manifest exited; log in %s", temp).isTrue();
            try {
                Response health = api.get("/actuator/health");
                if (health.status() == 200 && health.json().path("status").asString().equals("UP")) {
                    return;
                }
            }
            catch (RuntimeException notYet) {
                // connection refused until Tomcat listens
            }
            Thread.sleep(200);
        }
        throw new AssertionError("manifest not healthy within " + START_TIMEOUT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package org.lockstep.testing.manifest;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.lockstep.testing.JarProcess;
import org.lockstep.testing.ManagedProcess;
import org.lockstep.testing.Processes;

/**
 * The packaged {@code manifest-service.jar} (system property {@code lockstep.manifest.jar}) as a real process on a
 * loopback port chosen at run time, configured by a {@link ManifestConfig}. It can be killed with SIGKILL and started
 * again on the same data directory; each start waits until it is healthy.
 */
public final class ManifestProcess implements AutoCloseable {

    /** Small, for a machine that runs a whole fleet. */
    public static final List<String> JVM_FLAGS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    public static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final int port;

    private final JarProcess jar;

    private final ManifestApi probe;

    /** Writes {@code config} (plus this instance's port) under {@code dir}; {@link #start()} starts it. */
    public ManifestProcess(Path dir, ManifestConfig config) {
        this.port = Processes.freePort();
        config.set("server.port", Integer.toString(port)).set("server.address", "127.0.0.1");
        this.jar = new JarProcess("manifest", "lockstep.manifest.jar", JVM_FLAGS, dir,
                config.write(dir.resolve("manifest.properties")));
        this.probe = api().withTimeout(Duration.ofSeconds(5));
    }

    /** Starts the jar and waits until {@code /actuator/health} says UP. */
    public ManifestProcess start() {
        return launch().awaitHealthy();
    }

    /** Starts the jar and returns at once (start several, then {@link #awaitHealthy} each). */
    public ManifestProcess launch() {
        jar.start();
        return this;
    }

    /** Waits until {@code /actuator/health} says UP; fails early, with the log's tail, if the process dies. */
    public ManifestProcess awaitHealthy() {
        jar.process().await("health UP", START_TIMEOUT, this::healthy);
        return this;
    }

    /**
     * Starts the jar and waits until {@code /actuator/health} answers at all, UP or DOWN: for an instance that must
     * run but cannot serve (its etcd refuses it), whose health says why.
     */
    public ManifestProcess startAnswering() {
        jar.start().await("an answer from /actuator/health", START_TIMEOUT, () -> health().status() > 0);
        return this;
    }

    /** {@code GET /actuator/health}: 200 with UP, 503 with DOWN and each component's details; -1 if nothing answers. */
    public ManifestApi.Response health() {
        return health("/actuator/health");
    }

    /** One health group, e.g. {@code /actuator/health/readiness}. */
    public ManifestApi.Response health(String path) {
        try {
            return probe.get(path);
        }
        catch (UncheckedIOException notYet) {
            return new ManifestApi.Response(-1, null, Map.of(), "");
        }
    }

    /** SIGKILL, as a crash would; returns the exit status (137). */
    public int kill() {
        return jar.kill();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public ManifestApi api() {
        return new ManifestApi(url());
    }

    public Path log() {
        return jar.log();
    }

    /** The current run (to pause it, read its output); fails before the first start. */
    public ManagedProcess process() {
        return jar.process();
    }

    /** Whether {@code /actuator/health} says UP. */
    public boolean healthy() {
        ManifestApi.Response health = health();
        return health.status() == 200 && health.json().path("status").asString().equals("UP");
    }

    @Override
    public void close() {
        jar.close();
    }
}

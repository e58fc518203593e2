package org.lockstep.testing.manifest;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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

    private final Path dir;

    private final int port;

    private final Path config;

    private final ManifestApi probe;

    private ManagedProcess process;

    /** Writes {@code config} (plus this instance's port) under {@code dir}; {@link #start()} starts it. */
    public ManifestProcess(Path dir, ManifestConfig config) {
        this.dir = dir;
        this.port = Processes.freePort();
        this.config = config.set("server.port", Integer.toString(port)).set("server.address", "127.0.0.1")
                .write(dir.resolve("manifest.properties"));
        this.probe = api().withTimeout(Duration.ofSeconds(5));
    }

    /** The jar under test; the build passes its path. */
    public static Path jar() {
        String jar = System.getProperty("lockstep.manifest.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("lockstep.manifest.jar must name the packaged manifest-service.jar (built "
                    + "by mvn package), not " + jar);
        }
        return Path.of(jar).toAbsolutePath();
    }

    /** Starts the jar and waits until {@code /actuator/health} says UP. */
    public ManifestProcess start() {
        if (process != null && process.alive()) {
            throw new IllegalStateException("the manifest on port " + port + " is still running");
        }
        process = ManagedProcess.javaJar(jar(), JVM_FLAGS, List.of("--spring.config.additional-location=file:"
                + config)).named("manifest on port " + port).directory(dir).log(log()).start();
        process.await("health UP", START_TIMEOUT, this::healthy);
        return this;
    }

    /** SIGKILL, as a crash would; returns the exit status (137). */
    public int kill() {
        return process.kill();
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
        return dir.resolve("manifest.log");
    }

    /** The running process (to pause it, read its output); null before the first start. */
    public ManagedProcess process() {
        return process;
    }

    private boolean healthy() {
        try {
            ManifestApi.Response health = probe.get("/actuator/health");
            return health.status() == 200 && health.json().path("status").asString().equals("UP");
        }
        catch (UncheckedIOException notYet) {
            return false;
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}

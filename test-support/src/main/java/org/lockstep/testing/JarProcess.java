package org.lockstep.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A packaged jar of ours run again and again on the same disk: its own directory, a configuration file handed over
 * with {@code --spring.config.additional-location}, a log that every run appends to. What the manifest's and the
 * agent's processes have in common; each start is a new {@link ManagedProcess}.
 */
public final class JarProcess implements AutoCloseable {

    private final String name;

    private final String jarProperty;

    private final List<String> jvmFlags;

    private final Path dir;

    private final Path config;

    private ManagedProcess process;

    /**
     * @param jarProperty the system property the build sets to the jar's path (e.g. {@code lockstep.agent.jar})
     * @param config      the configuration file, written by the caller
     */
    public JarProcess(String name, String jarProperty, List<String> jvmFlags, Path dir, Path config) {
        this.name = name;
        this.jarProperty = jarProperty;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.dir = dir;
        this.config = config;
    }

    /** Starts the jar with extra command-line arguments; returns at once. */
    public ManagedProcess start(String... args) {
        if (process != null && process.alive()) {
            throw new IllegalStateException(name + " is still running");
        }
        List<String> all = new ArrayList<>(List.of("--spring.config.additional-location=file:" + config));
        all.addAll(List.of(args));
        process = ManagedProcess.javaJar(ManagedProcess.jarNamedBy(jarProperty), jvmFlags, all).named(name)
                .directory(dir).log(log()).start();
        return process;
    }

    /** The current (or last) run; fails before the first start. */
    public ManagedProcess process() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return process;
    }

    public boolean alive() {
        return process != null && process.alive();
    }

    /** SIGKILL to the whole tree; returns the exit status (137). */
    public int kill() {
        return process().kill();
    }

    /** SIGTERM, as a service manager stops it; SIGKILL if it has not exited within {@code grace}. The exit status. */
    public int stop(Duration grace) {
        return process().stop(grace);
    }

    public Path log() {
        return dir.resolve(name.replaceAll("[^A-Za-z0-9.-]+", "-") + ".log");
    }

    /** The whole log, every run's. */
    public String logText() {
        return process == null ? "" : process.logText();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}

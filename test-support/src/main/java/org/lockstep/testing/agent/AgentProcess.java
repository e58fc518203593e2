package org.lockstep.testing.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lockstep.testing.Dirs;
import org.lockstep.testing.Http;
import org.lockstep.testing.JarProcess;
import org.lockstep.testing.Processes;

/**
 * The packaged {@code agent.jar} (system property {@code lockstep.agent.jar}) for one host, as a real process with its
 * own directory: configuration, token, log and base-dir. Killed with SIGKILL, frozen with SIGSTOP, started again on
 * the same disk; what it serves is read from its links, never from what it says.
 */
public final class AgentProcess implements AutoCloseable {

    /** The JVM flags docs/agent.md documents for production. */
    public static final List<String> JVM_FLAGS = List.of("-Xmx48m", "-Xss256k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:MaxMetaspaceSize=80m",
            "-XX:ReservedCodeCacheSize=24m", "-XX:MaxDirectMemorySize=16m");

    private final Path dir;

    private final AgentConfig config;

    private final int port;

    private final JarProcess jar;

    private final List<String> arguments = new ArrayList<>();

    /**
     * Writes {@code config} under {@code dir} with an actuator port chosen now; directories world-readable, so nginx
     * workers running as {@code nobody} can serve the releases.
     */
    public AgentProcess(Path dir, AgentConfig config) {
        this.dir = dir;
        this.config = config;
        this.port = Processes.freePort();
        config.set("server.port", Integer.toString(port)).set("server.address", "127.0.0.1");
        Dirs.worldReadable(dir);
        Dirs.worldReadable(AgentConfig.baseDir(dir));
        this.jar = new JarProcess("agent", "lockstep.agent.jar", JVM_FLAGS, dir, config.write(dir));
    }

    /**
     * More command-line arguments for every start from now on (also the starts a {@code Fleet} makes), e.g.
     * {@code --lockstep.agent.lag-grace=2s}; they come before the arguments of {@link #start(String...)}.
     */
    public AgentProcess arguments(String... more) {
        arguments.addAll(List.of(more));
        return this;
    }

    /** Starts the agent with {@link #arguments(String...)} and extra command-line arguments; returns at once. */
    public AgentProcess start(String... args) {
        List<String> all = new ArrayList<>(arguments);
        all.addAll(List.of(args));
        jar.start(all.toArray(String[]::new));
        return this;
    }

    /** Starts the agent so that it blocks at a debug hold point ({@code lockstep.agent.debug.hold-at}). */
    public AgentProcess startHeldAt(String point) {
        return start("--lockstep.agent.debug.hold-at=" + point);
    }

    /** Waits for a line of this run's log containing {@code text}; fails early if the agent dies. */
    public String awaitLog(String text, Duration timeout) {
        return jar.process().awaitLog(text, timeout);
    }

    /** SIGKILL; returns the exit status. */
    public int kill() {
        return jar.kill();
    }

    /** SIGTERM, as systemd stops it; SIGKILL if it has not exited within {@code grace}. Returns the exit status. */
    public int stop(Duration grace) {
        return jar.stop(grace);
    }

    /** What this run of the agent logged so far (the log of earlier runs excluded). */
    public String output() {
        return jar.process().output();
    }

    /** SIGSTOP: the process stays but does nothing, like a host stuck in a long pause. */
    public void freeze() {
        jar.process().pause();
    }

    public void thaw() {
        jar.process().resume();
    }

    public boolean alive() {
        return jar.alive();
    }

    public String host() {
        return config.host();
    }

    public Path dir() {
        return dir;
    }

    public Path baseDir() {
        return AgentConfig.baseDir(dir);
    }

    /** The directory of the one repository this agent serves. */
    public Path repoDir() {
        if (config.repos().size() != 1) {
            throw new IllegalStateException("the agent serves " + config.repos() + ": name the repository");
        }
        return repoDir(config.repos().get(0));
    }

    public Path repoDir(String repo) {
        return baseDir().resolve(repo);
    }

    /** The commit {@code current} of the one repository points at, read from disk; empty when there is no link. */
    public Optional<String> current() {
        return link(repoDir().resolve("current"));
    }

    public Optional<String> next() {
        return link(repoDir().resolve("next"));
    }

    /** The commit {@code current} of {@code repo} points at, read from disk; empty when there is no link. */
    public Optional<String> current(String repo) {
        return link(repoDir(repo).resolve("current"));
    }

    public Optional<String> next(String repo) {
        return link(repoDir(repo).resolve("next"));
    }

    /** HTTP status of the agent's health endpoint (200 UP, 503 DOWN), or -1 when it does not answer. */
    public int health() {
        return Http.get("http://127.0.0.1:" + port + "/actuator/health").status();
    }

    public Path log() {
        return jar.log();
    }

    /** The whole log, every run's. */
    public String logText() {
        return jar.logText();
    }

    @Override
    public void close() {
        jar.close();
    }

    private static Optional<String> link(Path link) {
        try {
            return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
        }
        catch (IOException ex) {
            return Optional.empty();
        }
    }
}

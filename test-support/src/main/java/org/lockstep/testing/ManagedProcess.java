package org.lockstep.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * A real operating-system process that a test starts and that never outlives it: output appended to a log file,
 * waits that fail early (with the log's tail) when the process dies, SIGKILL/SIGSTOP/SIGCONT, and a stop that takes
 * the whole process tree (git daemon's per-connection children, nginx's workers). Whatever a test forgets is killed
 * when the JVM exits.
 */
public final class ManagedProcess implements AutoCloseable {

    private static final Set<ManagedProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ManagedProcess::killQuietly),
                "kill-test-processes"));
    }

    private final String name;

    private final Process process;

    private final Path log;

    private final long logStart;

    private ManagedProcess(String name, Process process, Path log, long logStart) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    /** A process to start: {@code command} as given, its output appended to a log file. */
    public static Builder command(List<String> command) {
        return new Builder(command);
    }

    /**
     * {@code java <flags> -jar <jar> <args>} on this JVM's java, with the git isolation's {@code user.home}: how the
     * packaged jars are started.
     */
    public static Builder javaJar(Path jar, List<String> jvmFlags, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(IsolatedGit.jvmFlags());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        return new Builder(command).named(jar.getFileName().toString());
    }

    /** The packaged jar the build names in system property {@code property} (e.g. {@code lockstep.agent.jar}). */
    public static Path jarNamedBy(String property) {
        String jar = System.getProperty(property);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("system property " + property + " must name a jar built by mvn package, "
                    + "not " + jar);
        }
        return Path.of(jar).toAbsolutePath();
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The whole log file, earlier runs that appended to it included. */
    public String logText() {
        return read(0);
    }

    /** What this process wrote since it started. */
    public String output() {
        return read(logStart);
    }

    /** Waits for a line of this run's output that contains {@code text}; returns the line. */
    public String awaitLog(String text, Duration timeout) {
        String[] found = new String[1];
        await("a log line with \"" + text + "\"", timeout, () -> {
            for (String line : output().split("\n")) {
                if (line.contains(text)) {
                    found[0] = line;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Waits until something accepts connections on the loopback {@code port}. */
    public void awaitPort(int port, Duration timeout) {
        await("port " + port + " to accept connections", timeout, () -> {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return true;
            }
            catch (IOException notYet) {
                return false;
            }
        });
    }

    /** Polls {@code condition} until it holds; fails at once, with the log's tail, when the process has exited. */
    public void await(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before " + what
                        + "; last lines of " + log + ":\n" + tail());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(name + " did not show " + what + " within " + timeout + "; last lines of "
                        + log + ":\n" + tail());
            }
            Processes.sleep(Duration.ofMillis(50));
        }
    }

    /** SIGKILL to the process and all its descendants: no shutdown hook, no flush, exactly a crash. */
    public int kill() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        // The process first: killed after its children, a shell waiting for them could exit on its own in between.
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            int exit = process.waitFor();
            for (ProcessHandle child : tree) {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
            return exit;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("a child of " + name + " (" + process.pid() + ") outlived SIGKILL", ex);
        }
        finally {
            RUNNING.remove(this);
        }
    }

    /** SIGTERM, and SIGKILL for the whole tree if it has not exited within {@code grace}. */
    public int stop(Duration grace) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS) && tree.stream().noneMatch(
                    ProcessHandle::isAlive)) {
                RUNNING.remove(this);
                return process.exitValue();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        return kill();
    }

    /** SIGSTOP: the process stays but does nothing, like a host stuck in a long pause. */
    public void pause() {
        Processes.signal(process.pid(), "STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        Processes.signal(process.pid(), "CONT");
    }

    /** Kills the whole tree if anything of it still runs. */
    @Override
    public void close() {
        if (process.isAlive() || process.descendants().findAny().isPresent()) {
            kill();
        }
        RUNNING.remove(this);
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }

    private String tail() {
        List<String> lines = List.of(output().split("\n"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private String read(long from) {
        try {
            if (!Files.exists(log)) {
                return "";
            }
            byte[] bytes = Files.readAllBytes(log);
            int start = (int) Math.min(from, bytes.length);
            return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void killQuietly() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** How to start one process. */
    public static final class Builder {

        private final List<String> command;

        private final Map<String, String> env = new LinkedHashMap<>();

        private String name;

        private Path directory;

        private Path log;

        private Builder(List<String> command) {
            this.command = List.copyOf(command);
            this.name = command.get(0);
        }

        /** What failure messages call it. */
        public Builder named(String processName) {
            this.name = processName;
            return this;
        }

        public Builder directory(Path dir) {
            this.directory = dir;
            return this;
        }

        /** Where stdout and stderr are appended; required. */
        public Builder log(Path file) {
            this.log = file;
            return this;
        }

        /** Added to the isolated git environment every process gets. */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public ManagedProcess start() {
            if (log == null) {
                throw new IllegalStateException("a log file for " + name + " is required");
            }
            try {
                Files.createDirectories(log.toAbsolutePath().getParent());
                long start = Files.exists(log) ? Files.size(log) : 0;
                Path dir = directory != null ? directory : log.toAbsolutePath().getParent();
                ProcessBuilder builder = Processes.builder(dir, env, command.toArray(String[]::new))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                ManagedProcess started = new ManagedProcess(name, builder.start(), log, start);
                RUNNING.add(started);
                return started;
            }
            catch (IOException ex) {
                throw new UncheckedIOException("could not start " + name, ex);
            }
        }
    }
}

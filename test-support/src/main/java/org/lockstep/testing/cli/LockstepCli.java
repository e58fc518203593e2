package org.lockstep.testing.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.lockstep.testing.ManagedProcess;

/**
 * The packaged {@code lockstep.jar} (system property {@code lockstep.cli.jar}) run as a real process, as a CI job
 * runs it: environment variables in, exit code and stdout and stderr out, each run to its end (or killed, tree and
 * all, after {@link #TIMEOUT}). The manifest URLs go in {@code LOCKSTEP_MANIFEST_URLS}; a token, when given, in
 * {@code LOCKSTEP_TOKEN}.
 */
public final class LockstepCli {

    /** Longest one command may run; a wait has its own {@code --timeout}, well below this. */
    public static final Duration TIMEOUT = Duration.ofMinutes(3);

    /** The flags {@code scripts/lockstep} starts it with. */
    public static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final Path dir;

    private final Map<String, String> environment = new LinkedHashMap<>();

    private final AtomicInteger runs = new AtomicInteger();

    /** Runs in {@code dir} (its output files go there) against the manifests at {@code manifestUrls}. */
    public LockstepCli(Path dir, String manifestUrls) {
        this.dir = dir;
        environment.put("LOCKSTEP_MANIFEST_URLS", manifestUrls);
    }

    /** The token every following run gets in {@code LOCKSTEP_TOKEN}; {@code null} for none. */
    public LockstepCli token(String secret) {
        if (secret == null) {
            environment.remove("LOCKSTEP_TOKEN");
        }
        else {
            environment.put("LOCKSTEP_TOKEN", secret);
        }
        return this;
    }

    /** Runs {@code lockstep args...} to its end. */
    public Outcome run(String... args) {
        return start(args).join();
    }

    /** Starts {@code lockstep args...}; the future completes when it exits. */
    public CompletableFuture<Outcome> start(String... args) {
        int run = runs.incrementAndGet();
        Path out = dir.resolve("lockstep-" + run + ".out");
        Path err = dir.resolve("lockstep-" + run + ".err");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-jar");
        command.add(ManagedProcess.jarNamedBy("lockstep.cli.jar").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("LOCKSTEP_MANIFEST_URLS");
        builder.environment().remove("LOCKSTEP_TOKEN");
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process;
        try {
            Files.createDirectories(dir);
            process = builder.start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("lockstep " + String.join(" ", args) + " did not end within " + TIMEOUT
                            + "; stderr:\n" + read(err));
                }
                return new Outcome(String.join(" ", args), process.exitValue(), read(out), read(err),
                        Duration.ofNanos(System.nanoTime() - started));
            }
            catch (InterruptedException ex) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        });
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * How one run ended.
     *
     * @param args     the command line, for messages
     * @param exitCode the process's exit status
     * @param took     from start to exit, JVM start included
     */
    public record Outcome(String args, int exitCode, String stdout, String stderr, Duration took) {

        /** stdout and stderr together, for assertions that do not care which stream a line went to. */
        public String output() {
            return stdout + stderr;
        }

        @Override
        public String toString() {
            return "lockstep " + args + " -> exit " + exitCode + " after " + took.toMillis() + " ms\n--- stdout\n"
                    + stdout + "--- stderr\n" + stderr;
        }
    }
}

package org.lockstep.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Commands run to completion, with the git isolation in their environment, and the small process helpers around
 * them. For a process that keeps running, see {@link ManagedProcess}.
 */
public final class Processes {

    /** Longest a command may run before it counts as hung. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

    private Processes() {
    }

    /** Runs {@code command} in {@code cwd}; returns its output (stdout and stderr), fails with it when not 0. */
    public static String run(Path cwd, String... command) {
        return run(cwd, Map.of(), command);
    }

    /** {@link #run(Path, String...)} with {@code env} added to the isolated environment. */
    public static String run(Path cwd, Map<String, String> env, String... command) {
        return complete(builder(cwd, env, command), command, true);
    }

    /** Runs {@code command} and returns its standard output alone; its error output is in the failure message. */
    public static String stdout(Path cwd, String... command) {
        return complete(builder(cwd, Map.of(), command), command, false);
    }

    /** A loopback port free right now (the system picks it), for a server configured before it starts. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Sends {@code signal} (e.g. {@code STOP}, {@code CONT}) to one process. */
    public static void signal(long pid, String signal) {
        run(Path.of("/"), "kill", "-" + signal, Long.toString(pid));
    }

    /** Sleeps; for the few places where time passing is the point (a host lagging for a second). */
    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    static ProcessBuilder builder(Path cwd, Map<String, String> env, String... command) {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(cwd.toFile());
        builder.environment().putAll(IsolatedGit.environment());
        builder.environment().putAll(env);
        return builder;
    }

    /** Output goes to files, not pipes, so a command that hangs is caught by the timeout, not by a blocked read. */
    private static String complete(ProcessBuilder builder, String[] command, boolean mergeErrors) {
        String line = String.join(" ", command);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("lockstep-out-", ".txt");
            err = Files.createTempFile("lockstep-err-", ".txt");
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile());
            if (mergeErrors) {
                builder.redirectErrorStream(true);
            }
            else {
                builder.redirectError(err.toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(line + " did not finish within " + COMMAND_TIMEOUT);
            }
            String output = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                String shown = mergeErrors ? output : new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
                throw new IllegalStateException(line + " exited with " + process.exitValue() + ":\n" + shown);
            }
            return output;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(line, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(line, ex);
        }
        finally {
            deleteIfExists(out);
            deleteIfExists(err);
        }
    }

    private static void deleteIfExists(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }
}

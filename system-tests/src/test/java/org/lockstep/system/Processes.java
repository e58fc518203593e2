package org.lockstep.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/** Small process and port helpers shared by the harness. */
final class Processes {

    private Processes() {
    }

    /** A loopback port free right now (the OS picks it). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A work directory readable by everyone: nginx started as root serves files as {@code nobody}, who cannot enter
     * the 0700 directories {@code Files.createTempDirectory} makes by default.
     */
    static Path worldReadableTempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static Process start(List<String> command, Path log, Path cwd) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
            builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
            return builder.start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Runs a command to completion; fails with its output when it exits non-zero. */
    static String run(Path cwd, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
            builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
            builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Runs a command to completion and returns its standard output alone; fails with its error output. */
    static String stdout(Path cwd, String... command) {
        try {
            Path errors = Files.createTempFile("lockstep-stderr", ".txt");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
                        .redirectError(errors.toFile());
                Process process = builder.start();
                String output = new String(process.getInputStream().readAllBytes());
                if (process.waitFor() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                            + Files.readString(errors));
                }
                return output;
            }
            finally {
                Files.deleteIfExists(errors);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, exactly a crash. */
    static void kill9(Process process) {
        // Children first (git daemon's git-daemon, nginx's workers): once the parent is gone they are orphans
        // that no handle of ours reaches any more.
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
            for (ProcessHandle child : children) {
                child.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
            throw new IllegalStateException("a child of " + process.pid() + " outlived SIGKILL", ex);
        }
    }

    static void signal(Process process, String signal) {
        run(Path.of("/"), "kill", "-" + signal, Long.toString(process.pid()));
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}

package org.lockstep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real {@code git daemon} serving every repository under a base path on a loopback port chosen at run time, as a
 * {@link ManagedProcess}: {@link #process()} pauses it (SIGSTOP, a server that hangs) and {@link #close()} stops it
 * with every per-connection child.
 */
public final class GitDaemon implements AutoCloseable {

    private final int port;

    private final ManagedProcess process;

    private GitDaemon(int port, ManagedProcess process) {
        this.port = port;
        this.process = process;
    }

    /** Serves {@code basePath} with the repositories' own configuration; output goes to {@code log}. */
    public static GitDaemon serve(Path basePath, Path log) {
        int port = Processes.freePort();
        ManagedProcess process = ManagedProcess.command(List.of("git", "daemon", "--reuseaddr", "--export-all",
                "--listen=127.0.0.1", "--port=" + port, "--base-path=" + basePath, basePath.toString()))
                .named("git daemon").directory(basePath).log(log).start();
        try {
            process.awaitPort(port, Duration.ofSeconds(20));
        }
        catch (RuntimeException | AssertionError ex) {
            process.close();
            throw ex;
        }
        return new GitDaemon(port, process);
    }

    /**
     * Serves {@code basePath} after setting, in every bare repository directly under it (where a real server has
     * it), whether clients may fetch commits by id that no ref advertises
     * ({@code uploadpack.allowReachableSHA1InWant}).
     */
    public static GitDaemon serve(Path basePath, Path log, boolean allowReachableSha1InWant) {
        try (Stream<Path> entries = Files.list(basePath)) {
            for (Path repo : entries.filter(p -> Files.isRegularFile(p.resolve("HEAD"))).toList()) {
                try (GitRepo served = GitRepo.open(repo)) {
                    served.config("uploadpack", "allowReachableSHA1InWant", Boolean.toString(allowReachableSha1InWant));
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return serve(basePath, log);
    }

    /** {@code git://127.0.0.1:<port>/<repo>}, {@code repo} relative to the base path (e.g. {@code schemas.git}). */
    public String url(String repo) {
        return "git://127.0.0.1:" + port + "/" + repo;
    }

    public int port() {
        return port;
    }

    public ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}

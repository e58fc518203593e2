package org.lockstep.agent.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A real {@code git daemon} serving one directory of bare repositories on a free local port. Whether it lets
 * clients fetch unadvertised commits by id ({@code uploadpack.allowReachableSHA1InWant}) is chosen per daemon.
 */
public final class GitDaemon implements AutoCloseable {

    private final Process process;

    private final int port;

    private GitDaemon(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static GitDaemon serve(Path basePath, boolean allowReachableSha1InWant) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // Set in every served repository's own config, where a real server has it.
        try (var repos = java.nio.file.Files.list(basePath)) {
            for (Path repo : repos.filter(p -> java.nio.file.Files.isRegularFile(p.resolve("HEAD"))).toList()) {
                GitFixture.run(basePath, "git", "-C", repo.toString(), "config", "uploadpack.allowReachableSHA1InWant",
                        Boolean.toString(allowReachableSha1InWant));
            }
        }
        ProcessBuilder builder = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all",
                "--listen=127.0.0.1", "--port=" + port, "--base-path=" + basePath, basePath.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        GitFixture.isolate(builder.environment());
        GitDaemon daemon = new GitDaemon(builder.start(), port);
        daemon.awaitListening();
        return daemon;
    }

    public String url(String repo) {
        return "git://127.0.0.1:" + port + "/" + repo;
    }

    private void awaitListening() throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            }
            catch (IOException e) {
                try {
                    Thread.sleep(50);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException(interrupted);
                }
            }
        }
        throw new IOException("git daemon did not listen on " + port);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}

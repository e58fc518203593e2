package org.lockstep.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code git daemon} on loopback serving one base directory, for fetches over {@code git://}. */
final class GitDaemon implements AutoCloseable {

    private final Process process;

    private final int port;

    private final Path basePath;

    private GitDaemon(Process process, int port, Path basePath) {
        this.process = process;
        this.port = port;
        this.basePath = basePath;
    }

    static GitDaemon start(Path basePath) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all",
                "--listen=127.0.0.1", "--port=" + port, "--base-path=" + basePath, basePath.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        GitDaemon daemon = new GitDaemon(builder.start(), port, basePath);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return daemon;
            }
            catch (IOException e) {
                if (System.nanoTime() > deadline || !daemon.process.isAlive()) {
                    daemon.close();
                    throw new IOException("git daemon did not start on port " + port, e);
                }
                Thread.sleep(50);
            }
        }
    }

    String url(Path repository) {
        return "git://127.0.0.1:" + port + "/" + basePath.relativize(repository);
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}

package org.lockstep.system;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;

/** A real {@code git daemon} serving every repository under a base path on a loopback port. */
final class GitDaemon implements AutoCloseable {

    private final int port;

    private final Process process;

    GitDaemon(Path basePath, Path log) {
        this.port = Processes.freePort();
        this.process = Processes.start(List.of("git", "daemon", "--reuseaddr", "--export-all",
                "--listen=127.0.0.1", "--port=" + port, "--base-path=" + basePath, basePath.toString()),
                log, basePath);
        Awaitility.await("git daemon on port " + port).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50)).until(this::accepting);
    }

    String url(String repo) {
        return "git://127.0.0.1:" + port + "/" + repo;
    }

    Process process() {
        return process;
    }

    private boolean accepting() {
        if (!process.isAlive()) {
            throw new IllegalStateException("git daemon exited with " + process.exitValue());
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        }
        catch (java.io.IOException ex) {
            return false;
        }
    }

    @Override
    public void close() {
        Processes.kill9(process);
    }
}

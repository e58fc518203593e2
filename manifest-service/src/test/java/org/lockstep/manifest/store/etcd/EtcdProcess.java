package org.lockstep.manifest.store.etcd;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real single-member etcd (Debian's {@code etcd} 3.4 binary) on free loopback ports, with its data in a directory
 * the test owns, so it can be killed and restarted on the same data. No child outlives the test: {@link #close}
 * kills the process and any descendants.
 */
final class EtcdProcess implements AutoCloseable {

    private static final Path BINARY = Path.of(System.getProperty("etcd.binary", "/usr/bin/etcd"));

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path dataDir;

    private final Path logFile;

    private final int clientPort;

    private final int peerPort;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private Process process;

    private EtcdProcess(Path workDir) throws IOException {
        this.dataDir = workDir.resolve("etcd-data");
        this.logFile = workDir.resolve("etcd.log");
        this.clientPort = freePort();
        this.peerPort = freePort();
    }

    /** Starts etcd with its data under {@code workDir} and returns once it answers its health check. */
    static EtcdProcess start(Path workDir) throws IOException {
        EtcdProcess etcd = new EtcdProcess(workDir);
        etcd.restart();
        return etcd;
    }

    String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    List<String> endpoints() {
        return List.of(endpoint());
    }

    /** Starts (again) on the same ports and data directory. */
    void restart() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("etcd is still running");
        }
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        process = new ProcessBuilder(BINARY.toString(), "--name", "default", "--data-dir", dataDir.toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "default=" + peer)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        awaitHealthy();
    }

    /** SIGKILL, as a crash or a pulled plug would: no chance to flush or say goodbye. */
    void kill() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        kill();
    }

    private void awaitHealthy() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                .timeout(Duration.ofSeconds(1)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("etcd exited with " + process.exitValue() + ": " + log());
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"true\"")) {
                    return;
                }
            }
            catch (IOException notYet) {
                // still starting: the port is not open yet
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for etcd", ex);
            }
            sleep(50);
        }
        kill();
        throw new IOException("etcd did not become healthy within " + START_TIMEOUT + ": " + log());
    }

    private String log() throws IOException {
        List<String> lines = Files.exists(logFile) ? Files.readAllLines(logFile) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}

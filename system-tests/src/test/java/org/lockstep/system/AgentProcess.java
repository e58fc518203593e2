package org.lockstep.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The real agent.jar for one host, as an operating-system process with its own base-dir. */
final class AgentProcess implements AutoCloseable {

    /** The JVM flags docs/agent.md documents for production. */
    static final List<String> JVM_FLAGS = List.of("-Xmx48m", "-Xss256k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:MaxMetaspaceSize=80m",
            "-XX:ReservedCodeCacheSize=24m", "-XX:MaxDirectMemorySize=16m");

    private final String host;

    private final Path dir;

    private final Path baseDir;

    private final int port;

    private final String repo;

    private Process process;

    AgentProcess(Path dir, String host, List<String> manifestUrls, String repo, String fetchUrl) {
        this.host = host;
        this.dir = dir;
        this.baseDir = dir.resolve("base");
        this.port = Processes.freePort();
        this.repo = repo;
        try {
            Files.createDirectories(baseDir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(baseDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path token = dir.resolve("agent.token");
            Files.writeString(token, ManifestProcess.agentToken(host) + "\n");
            Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(dir.resolve("agent.yaml"), """
                    server.port: %d
                    server.address: 127.0.0.1
                    lockstep.agent:
                      host: %s
                      manifest-urls: [%s]
                      token-file: %s
                      base-dir: %s
                      heartbeat: 2s
                      backoff-max: 2s
                      repos:
                        %s:
                          url: %s
                    """.formatted(port, host, String.join(", ", manifestUrls), token, baseDir, repo, fetchUrl));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Starts the agent; {@code holdAt} names a debug hold point or is null. */
    AgentProcess start(String holdAt) {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-jar", System.getProperty("lockstep.agent.jar"),
                "--spring.config.additional-location=" + dir.resolve("agent.yaml")));
        if (holdAt != null) {
            command.add("--lockstep.agent.debug.hold-at=" + holdAt);
        }
        process = Processes.start(command, log(), dir);
        return this;
    }

    AgentProcess start() {
        return start(null);
    }

    void kill() {
        Processes.kill9(process);
    }

    /** SIGSTOP: the process stays but does nothing, like a host stuck in a long pause. */
    void freeze() {
        Processes.signal(process, "STOP");
    }

    void thaw() {
        Processes.signal(process, "CONT");
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    String host() {
        return host;
    }

    Path baseDir() {
        return baseDir;
    }

    Path repoDir() {
        return baseDir.resolve(repo);
    }

    Path log() {
        return dir.resolve("agent.log");
    }

    String logText() {
        try {
            return Files.exists(log()) ? Files.readString(log()) : "";
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The commit {@code current} points at, read from disk; empty when there is no link. */
    Optional<String> current() {
        return link("current");
    }

    Optional<String> next() {
        return link("next");
    }

    private Optional<String> link(String name) {
        Path link = repoDir().resolve(name);
        try {
            return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
        }
        catch (IOException ex) {
            return Optional.empty();
        }
    }

    /** HTTP status of the agent's health endpoint (200 UP, 503 DOWN), or -1 when it does not answer. */
    int health() {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode();
        }
        catch (IOException ex) {
            return -1;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        if (process != null) {
            if (process.isAlive()) {
                thawQuietly();
            }
            Processes.kill9(process);
        }
    }

    private void thawQuietly() {
        try {
            thaw();
        }
        catch (IllegalStateException ignored) {
            // already gone
        }
    }
}

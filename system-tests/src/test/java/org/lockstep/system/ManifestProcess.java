package org.lockstep.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.awaitility.Awaitility;

/** The real manifest-service.jar as an operating-system process, on the embedded store. */
final class ManifestProcess implements AutoCloseable {

    static final String CI_TOKEN = "ci-secret-token";

    static final String OPERATOR_TOKEN = "operator-secret-token";

    private final Path dir;

    private final int port;

    private Process process;

    ManifestProcess(Path dir, String repo, String repoUrl, List<String> hosts) {
        this.dir = dir;
        this.port = Processes.freePort();
        StringBuilder yaml = new StringBuilder();
        yaml.append("server.port: ").append(port).append('\n')
                .append("server.address: 127.0.0.1\n")
                .append("lockstep.manifest:\n")
                .append("  data-dir: ").append(dir.resolve("data")).append('\n')
                .append("  repos:\n")
                .append("    ").append(repo).append(":\n")
                .append("      url: ").append(repoUrl).append('\n')
                .append("      branch: ").append(SchemaRepo.BRANCH).append('\n')
                .append("      hosts: [").append(String.join(", ", hosts)).append("]\n")
                .append("  tokens:\n")
                .append(token("ci", CI_TOKEN, "ci", "    repos: [" + repo + "]\n"))
                .append(token("operator", OPERATOR_TOKEN, "operator", ""));
        for (String host : hosts) {
            yaml.append(token("agent-" + host, agentToken(host), "agent", "    host: " + host + "\n"));
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("manifest.yaml"), yaml);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static String agentToken(String host) {
        return "agent-token-for-" + host;
    }

    ManifestProcess start() {
        process = Processes.start(List.of("java", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
                System.getProperty("lockstep.manifest.jar"),
                "--spring.config.additional-location=" + dir.resolve("manifest.yaml")), dir.resolve("manifest.log"),
                dir);
        Awaitility.await("manifest on port " + port).atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200)).until(this::healthy);
        return this;
    }

    /** SIGKILL, as a crash would. */
    void kill() {
        Processes.kill9(process);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    ManifestApi api() {
        return new ManifestApi(url());
    }

    Path log() {
        return dir.resolve("manifest.log");
    }

    private boolean healthy() {
        if (!process.isAlive()) {
            throw new IllegalStateException("manifest exited with " + process.exitValue() + "; see " + log());
        }
        try {
            return api().send("GET", "/actuator/health", null, null).status() == 200;
        }
        catch (IllegalStateException ex) {
            return false;
        }
    }

    private static String token(String name, String secret, String role, String extra) {
        return "    - name: " + name + "\n      sha256: " + sha256(secret) + "\n      role: " + role + "\n"
                + extra.replace("    ", "      ");
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        if (process != null) {
            Processes.kill9(process);
        }
    }
}

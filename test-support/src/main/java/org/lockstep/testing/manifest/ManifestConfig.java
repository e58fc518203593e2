package org.lockstep.testing.manifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A manifest's configuration as flat Spring properties ({@code lockstep.manifest.repos.<name>.url=...}), the one form
 * both a {@link ManifestProcess} (written to a {@code .properties} file) and an in-JVM Spring test (each entry handed
 * to a {@code DynamicPropertyRegistry}) take. Tokens are configured by their SHA-256, as an operator would.
 */
public final class ManifestConfig {

    private static final String PREFIX = "lockstep.manifest.";

    private final Map<String, String> properties = new LinkedHashMap<>();

    private int tokens;

    private ManifestConfig(Path dataDir) {
        set(PREFIX + "data-dir", dataDir.toAbsolutePath().toString());
    }

    /** A configuration on the embedded store under {@code dataDir}, with no repositories and no tokens yet. */
    public static ManifestConfig create(Path dataDir) {
        return new ManifestConfig(dataDir);
    }

    /** How long an agent's long-poll is held (e.g. {@code 2s}). */
    public ManifestConfig pollTimeout(String duration) {
        return set(PREFIX + "poll-timeout", duration);
    }

    /** A repository on branch {@code main}, expected on {@code hosts}. */
    public ManifestConfig repo(String name, String url, List<String> hosts) {
        return repo(name, url, "main", hosts);
    }

    public ManifestConfig repo(String name, String url, String branch, List<String> hosts) {
        repoProperty(name, "url", url);
        repoProperty(name, "branch", branch);
        for (int i = 0; i < hosts.size(); i++) {
            repoProperty(name, "hosts[" + i + "]", hosts.get(i));
        }
        return this;
    }

    /** {@code lockstep.manifest.repos.<repo>.<key>}, e.g. {@code watch-interval} or {@code gitlab-project}. */
    public ManifestConfig repoProperty(String repo, String key, String value) {
        return set(PREFIX + "repos." + repo + "." + key, value);
    }

    /** A token with {@code role} ({@code ci}, {@code operator}, {@code agent}) and nothing else. */
    public ManifestConfig token(String name, String secret, String role) {
        return token(name, secret, role, Map.of());
    }

    /** A ci token limited to {@code repos}. */
    public ManifestConfig ciToken(String name, String secret, List<String> repos) {
        Map<String, String> extra = new LinkedHashMap<>();
        for (int i = 0; i < repos.size(); i++) {
            extra.put("repos[" + i + "]", repos.get(i));
        }
        return token(name, secret, "ci", extra);
    }

    /** The agent token {@code agent-<host>} that speaks for {@code host}. */
    public ManifestConfig agentToken(String host, String secret) {
        return token("agent-" + host, secret, "agent", Map.of("host", host));
    }

    /**
     * {@link Tokens}' set: {@code ci-pipeline} for {@code ciRepos}, the operator {@code alice}, and one agent token
     * per host.
     */
    public ManifestConfig standardTokens(List<String> ciRepos, Collection<String> hosts) {
        ciToken("ci-pipeline", Tokens.CI, ciRepos);
        token("alice", Tokens.OPERATOR, "operator");
        hosts.forEach(host -> agentToken(host, Tokens.agent(host)));
        return this;
    }

    /** The etcd store on {@code endpoints} (every member's client URL) under key {@code prefix}. */
    public ManifestConfig etcd(List<String> endpoints, String prefix) {
        set(PREFIX + "store", "etcd");
        for (int i = 0; i < endpoints.size(); i++) {
            set(PREFIX + "etcd.endpoints[" + i + "]", endpoints.get(i));
        }
        return set(PREFIX + "etcd.prefix", prefix);
    }

    /** TLS towards etcd: the CA that signed the members, and this instance's client certificate and PKCS#8 key. */
    public ManifestConfig etcdTls(Path ca, Path cert, Path key) {
        set(PREFIX + "etcd.tls.ca-file", ca.toAbsolutePath().toString());
        set(PREFIX + "etcd.tls.cert-file", cert.toAbsolutePath().toString());
        return set(PREFIX + "etcd.tls.key-file", key.toAbsolutePath().toString());
    }

    /** etcd password authentication as {@code user}, the password in {@code passwordFile}. */
    public ManifestConfig etcdUser(String user, Path passwordFile) {
        set(PREFIX + "etcd.user", user);
        return set(PREFIX + "etcd.password-file", passwordFile.toAbsolutePath().toString());
    }

    /** Any property at all, e.g. {@code lockstep.manifest.store=etcd}. */
    public ManifestConfig set(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Every property, in the order set. */
    public Map<String, String> properties() {
        return Collections.unmodifiableMap(properties);
    }

    /** Writes the properties to {@code file} for {@code --spring.config.additional-location=file:<file>}. */
    public Path write(Path file) {
        String text = properties.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n", "", "\n"));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text);
            return file;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private ManifestConfig token(String name, String secret, String role, Map<String, String> extra) {
        String prefix = PREFIX + "tokens[" + tokens++ + "].";
        set(prefix + "name", name);
        set(prefix + "sha256", Tokens.sha256(secret));
        set(prefix + "role", role);
        extra.forEach((key, value) -> set(prefix + key, value));
        return this;
    }
}

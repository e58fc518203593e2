package org.lockstep.testing.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.lockstep.testing.manifest.Tokens;

/**
 * An agent's configuration as an operator (or puppet) writes it: flat Spring properties in {@code agent.properties}
 * and the token in its own file, readable by the owner only. The same files serve the packaged jar
 * ({@link AgentProcess}) and an agent started in the test's JVM.
 */
public final class AgentConfig {

    private static final String PREFIX = "lockstep.agent.";

    private final String host;

    private final Map<String, String> properties = new LinkedHashMap<>();

    private final List<String> repos = new ArrayList<>();

    private String token;

    private AgentConfig(String host, List<String> manifestUrls) {
        this.host = host;
        this.token = Tokens.agent(host);
        set(PREFIX + "host", host);
        for (int i = 0; i < manifestUrls.size(); i++) {
            set(PREFIX + "manifest-urls[" + i + "]", manifestUrls.get(i));
        }
        heartbeat("1s");
        backoffMax("2s");
    }

    /** Host {@code host} talking to {@code manifestUrls} in order, with {@link Tokens#agent}'s token. */
    public static AgentConfig forHost(String host, List<String> manifestUrls) {
        return new AgentConfig(host, manifestUrls);
    }

    public AgentConfig token(String secret) {
        this.token = secret;
        return this;
    }

    /** A repository to serve, fetched from {@code url}. */
    public AgentConfig repo(String name, String url) {
        repos.add(name);
        return repoProperty(name, "url", url);
    }

    /** {@code lockstep.agent.repos.<repo>.<key>}, e.g. {@code verify-command}. */
    public AgentConfig repoProperty(String repo, String key, String value) {
        return set(PREFIX + "repos." + repo + "." + key, value);
    }

    public AgentConfig heartbeat(String duration) {
        return set(PREFIX + "heartbeat", duration);
    }

    public AgentConfig backoffMax(String duration) {
        return set(PREFIX + "backoff-max", duration);
    }

    /** Any property at all, e.g. {@code server.port}. */
    public AgentConfig set(String key, String value) {
        properties.put(key, value);
        return this;
    }

    public String host() {
        return host;
    }

    /** The repositories, in the order added. */
    public List<String> repos() {
        return Collections.unmodifiableList(repos);
    }

    /**
     * Writes {@code dir/token} (mode 0600) and {@code dir/agent.properties} with base-dir {@code dir/base}; returns
     * the configuration file, for {@code --spring.config.additional-location=file:<file>}.
     */
    public Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            Path tokenFile = dir.resolve("token");
            Files.writeString(tokenFile, token + "\n");
            Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
            Map<String, String> all = new LinkedHashMap<>(properties);
            all.put(PREFIX + "token-file", tokenFile.toAbsolutePath().toString());
            all.put(PREFIX + "base-dir", baseDir(dir).toAbsolutePath().toString());
            Path config = dir.resolve("agent.properties");
            Files.writeString(config, all.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n", "", "\n")));
            return config;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Where {@link #write(Path)} puts the agent's base-dir. */
    public static Path baseDir(Path dir) {
        return dir.resolve("base");
    }
}

package org.lockstep.agent.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;

/** Writes an agent configuration file and a token file the way an operator (or puppet) would. */
public final class AgentConfigFile {

    public static final String TOKEN = "agent-token-for-host-a";

    private AgentConfigFile() {
    }

    public static Path write(Path dir, List<String> manifestUrls, String repoUrl, String extraYaml) {
        try {
            Files.createDirectories(dir);
            Path token = dir.resolve("token");
            Files.writeString(token, TOKEN + "\n");
            Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
            Path config = dir.resolve("agent.yaml");
            Files.writeString(config, """
                    lockstep:
                      agent:
                        host: host-a
                        manifest-urls: [%s]
                        token-file: %s
                        base-dir: %s
                        heartbeat: 1s
                        backoff-max: 2s
                        repos:
                          primary:
                            url: %s
                    %s
                    """.formatted(manifestUrls.stream().map(u -> "\"" + u + "\"").collect(Collectors.joining(", ")),
                    token, dir.resolve("base"), repoUrl, extraYaml));
            return config;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

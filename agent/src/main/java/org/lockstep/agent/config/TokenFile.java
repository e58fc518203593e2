package org.lockstep.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads the agent's bearer token. A token that others on the host can read could report for this host, so a file
 * with any group or other permission bit is refused, and the agent does not start.
 */
public final class TokenFile {

    private static final Set<PosixFilePermission> FORBIDDEN = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private TokenFile() {
    }

    public static String read(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> bad = EnumSet.copyOf(FORBIDDEN);
            bad.retainAll(permissions);
            if (!bad.isEmpty()) {
                throw new IllegalStateException("token file " + file + " is accessible by group or others " + bad
                        + "; run: chmod 600 " + file);
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (token.isEmpty()) {
                throw new IllegalStateException("token file " + file + " is empty");
            }
            return token;
        }
        catch (NoSuchFileException e) {
            throw new IllegalStateException("token file " + file + " does not exist (lockstep.agent.token-file)", e);
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot read token file " + file + ": " + e.getMessage(), e);
        }
    }
}

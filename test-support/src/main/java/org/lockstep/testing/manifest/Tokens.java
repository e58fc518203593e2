package org.lockstep.testing.manifest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The bearer tokens tests configure, and how the manifest's configuration stores them (SHA-256, hex). The names
 * {@link ManifestConfig#standardTokens} gives them: {@code ci-pipeline} (role ci), {@code alice} (operator) and
 * {@code agent-<host>} (agent, speaks for that host).
 */
public final class Tokens {

    /** Role ci, name {@code ci-pipeline}. */
    public static final String CI = "ci-secret-0123456789";

    /** Role operator, name {@code alice}. */
    public static final String OPERATOR = "operator-secret-0123456789";

    /** Never configured. */
    public static final String UNKNOWN = "nobody-knows-this-token";

    private Tokens() {
    }

    /** Role agent, name {@code agent-<host>}, speaks for {@code host}. */
    public static String agent(String host) {
        return "agent-secret-" + host;
    }

    public static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}

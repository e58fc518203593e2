package org.lockstep.manifest.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The bearer tokens the test configurations know, and how their hashes are made. */
public final class Tokens {

    /** Role ci, name {@code ci-pipeline}; may set targets for the repositories in {@link SharedManifest#CI_REPOS}. */
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

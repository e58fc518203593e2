package org.lockstep.manifest.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.ManifestProperties.Token;
import org.springframework.stereotype.Component;

/**
 * Finds the configured token whose SHA-256 matches a presented secret. The comparison is constant-time per
 * configured token and runs over all of them, so timing tells nothing about which hash came close.
 */
@Component
public class TokenRegistry {

    private final List<Token> tokens;

    public TokenRegistry(ManifestProperties properties) {
        this.tokens = properties.tokens();
    }

    public Optional<Caller> authenticate(String secret) {
        byte[] presented = sha256(secret);
        Token match = null;
        for (Token token : tokens) {
            if (MessageDigest.isEqual(presented, HexFormat.of().parseHex(token.sha256().toLowerCase()))) {
                match = token;
            }
        }
        return Optional.ofNullable(match).map(t -> new Caller(t.name(), t.role(), t.repos(), t.host()));
    }

    /** Constant-time check of a secret against one configured hash (webhook secrets). */
    public static boolean matches(String secret, String sha256Hex) {
        return secret != null && sha256Hex != null
                && MessageDigest.isEqual(sha256(secret), HexFormat.of().parseHex(sha256Hex.toLowerCase()));
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every JVM has SHA-256", ex);
        }
    }
}

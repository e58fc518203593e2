package org.lockstep.manifest.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.ManifestProperties.Token;
import org.springframework.stereotype.Component;

/**
 * Finds the configured token whose SHA-256 matches a presented secret. The presented secret is hashed first and the
 * hash looked up, so a fleet of 10,000 agent tokens costs each request one hash and one map lookup, not 10,000
 * comparisons. What the lookup's timing could tell is about the hash of the presented secret, which says nothing
 * about any configured token's secret (a SHA-256 preimage would be needed); the final comparison of the found hash is
 * constant-time all the same.
 */
@Component
public class TokenRegistry {

    private final Map<String, Token> byHash = new HashMap<>();

    public TokenRegistry(ManifestProperties properties) {
        for (Token token : properties.tokens()) {
            byHash.put(token.sha256().toLowerCase(Locale.ROOT), token);
        }
    }

    public Optional<Caller> authenticate(String secret) {
        byte[] presented = sha256(secret);
        Token match = byHash.get(HexFormat.of().formatHex(presented));
        if (match == null || !MessageDigest.isEqual(presented, HexFormat.of().parseHex(match.sha256()))) {
            return Optional.empty();
        }
        return Optional.of(new Caller(match.name(), match.role(), match.repos(), match.host()));
    }

    /** Constant-time check of a secret against one configured hash (webhook secrets). */
    public static boolean matches(String secret, String sha256Hex) {
        return secret != null && sha256Hex != null
                && MessageDigest.isEqual(sha256(secret), HexFormat.of().parseHex(sha256Hex.toLowerCase(Locale.ROOT)));
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

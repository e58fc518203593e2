package org.lockstep.manifest.store.etcd;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to reach etcd: the {@code lockstep.manifest.etcd.*} keys as the store needs them. The constructor refuses what
 * can never work (no endpoints, a certificate without its key, a user without a password file, TLS files with
 * {@code http://} endpoints), naming the key, so such a configuration stops the service at start. What only etcd can
 * judge (a wrong password, a certificate etcd does not trust, a missing file) is found when connecting, and reported
 * by health instead.
 *
 * @param endpoints    client URLs of every member, all {@code http://} or all {@code https://}
 * @param prefix       key prefix of this fleet's store
 * @param timeout      bound of every etcd call
 * @param caFile       PEM certificates that sign the members' certificates; the JVM's trust store when unset
 * @param certFile     PEM client certificate (chain) presented to etcd, with {@code keyFile}
 * @param keyFile      its private key, PKCS#8 PEM, unencrypted
 * @param authority    the name checked against every member's certificate, when it is not each endpoint's host
 * @param user         etcd user for password authentication, with {@code passwordFile}
 * @param passwordFile file holding that user's password (one trailing newline is ignored)
 */
public record EtcdSettings(List<URI> endpoints, String prefix, Duration timeout, Path caFile, Path certFile,
                           Path keyFile, String authority, String user, Path passwordFile) {

    static final String KEY = "lockstep.manifest.etcd.";

    public EtcdSettings {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException(KEY + "endpoints is empty: list the client URL of every etcd member");
        }
        long secure = endpoints.stream().filter(e -> "https".equals(e.getScheme())).count();
        for (URI endpoint : endpoints) {
            boolean scheme = "https".equals(endpoint.getScheme()) || "http".equals(endpoint.getScheme());
            if (!scheme || endpoint.getHost() == null || endpoint.getPort() < 0) {
                throw new IllegalArgumentException(KEY + "endpoints: " + endpoint
                        + " is not http://host:port or https://host:port");
            }
        }
        if (secure != 0 && secure != endpoints.size()) {
            throw new IllegalArgumentException(KEY + "endpoints mix http:// and https://: " + endpoints);
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException(KEY + "tls.cert-file and " + KEY + "tls.key-file go together");
        }
        if (secure == 0 && (caFile != null || certFile != null || authority != null)) {
            throw new IllegalArgumentException(KEY + "tls.* is set but the endpoints are http://; use https://");
        }
        if ((user == null || user.isBlank()) != (passwordFile == null)) {
            throw new IllegalArgumentException(KEY + "user and " + KEY + "password-file go together (for "
                    + "authentication by client certificate, set neither: etcd takes the certificate's common name)");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(KEY + "timeout must be positive, not " + timeout);
        }
    }

    /** Plain {@code http://} endpoints, no authentication: a trusted network, or a test. */
    public static EtcdSettings plain(List<String> endpoints, String prefix, Duration timeout) {
        return new EtcdSettings(endpoints.stream().map(URI::create).toList(), prefix, timeout, null, null, null, null,
                null, null);
    }

    /** Whether the endpoints are {@code https://}. */
    public boolean tls() {
        return "https".equals(endpoints.get(0).getScheme());
    }

    /** How this instance proves who it is to etcd, for logs and health: never the password. */
    public String identity() {
        if (user != null) {
            return "user " + user + (certFile != null ? " (password), certificate " + certFile : " (password)");
        }
        if (certFile != null) {
            return "certificate " + certFile + " (etcd takes its common name as the user when auth is on)";
        }
        return "anonymous";
    }

    /** Who etcd was asked to accept, in a few words, for a refusal's detail. */
    String who() {
        if (user != null) {
            return "user " + user;
        }
        return certFile != null ? "the client certificate's common name" : "an anonymous client";
    }

    /** The same connection on another key prefix (another fleet, or a test's own). */
    public EtcdSettings withPrefix(String otherPrefix) {
        return new EtcdSettings(endpoints, otherPrefix, timeout, caFile, certFile, keyFile, authority, user,
                passwordFile);
    }
}

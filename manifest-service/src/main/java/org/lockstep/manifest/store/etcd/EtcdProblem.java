package org.lockstep.manifest.store.etcd;

/**
 * Why the store cannot use etcd, as an operator must act on it: each has the slug that logs and health show
 * ({@code cause=...}) and what to check. None of them is ever taken for an empty store.
 */
public enum EtcdProblem {

    /** No endpoint accepted a TCP connection: etcd is down, the endpoints are wrong, or a firewall is in between. */
    UNREACHABLE("etcd-unreachable", "is etcd running, and are lockstep.manifest.etcd.endpoints its client URLs?"),

    /** Connected, but no answer in time: etcd has no quorum (a majority of members is down), or is overloaded. */
    NOT_ANSWERING("etcd-not-answering", "does the etcd cluster have a leader (a majority of its members up)?"),

    /** etcd refused this instance's client certificate (not signed by the CA etcd trusts, expired, or missing). */
    CERTIFICATE_REJECTED("etcd-rejected-certificate", "lockstep.manifest.etcd.tls.cert-file must be signed by the "
            + "CA of etcd's --trusted-ca-file, and be valid now"),

    /** etcd's certificate is not signed by {@code tls.ca-file}, or does not name the host it was reached at. */
    SERVER_UNTRUSTED("etcd-certificate-untrusted", "lockstep.manifest.etcd.tls.ca-file must hold the CA that signed "
            + "etcd's certificate, and the certificate must name the endpoint's host (or set tls.authority)"),

    /** One side speaks TLS, the other does not: {@code http://} endpoints to a TLS etcd, or the reverse. */
    TLS_MISMATCH("etcd-tls-mismatch", "use https:// endpoints (and lockstep.manifest.etcd.tls.*) exactly when etcd "
            + "listens with --cert-file"),

    /** etcd refused the user and password, wants a user and got none, or has authentication off. */
    AUTH_FAILED("etcd-auth-failed", "check lockstep.manifest.etcd.user and the password in "
            + "lockstep.manifest.etcd.password-file against etcd's users (etcdctl user get)"),

    /** Authenticated, but the etcd user's roles do not allow reading and writing the store's prefix. */
    PERMISSION_DENIED("etcd-permission-denied", "grant the user's role readwrite on the prefix: "
            + "etcdctl role grant-permission <role> --prefix=true readwrite <prefix>"),

    /** A TLS or password file is missing, unreadable, or not in the form the client reads. */
    CLIENT_CONFIG("etcd-client-config", "fix the file named; the store reads it again at its next attempt"),

    /** Anything else etcd answered. */
    FAILED("etcd-failed", "see the detail");

    private final String slug;

    private final String hint;

    EtcdProblem(String slug, String hint) {
        this.slug = slug;
        this.hint = hint;
    }

    /** The {@code cause=} value in logs and health. */
    public String slug() {
        return slug;
    }

    /** What to check, in a sentence. */
    public String hint() {
        return hint;
    }
}

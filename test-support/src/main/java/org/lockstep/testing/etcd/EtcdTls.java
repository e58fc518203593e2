package org.lockstep.testing.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.lockstep.testing.Processes;

/**
 * Certificates for an etcd over TLS, made by the {@code openssl} command line in a directory the test owns, as an
 * operator would make them: a CA, a server certificate for {@code 127.0.0.1} (an IP SAN, no DNS name, so
 * {@code localhost} does not match it) that members use for clients and peers, and client certificates by common
 * name. A second, unrelated CA signs the certificates etcd must refuse. Keys are EC P-256 in PKCS#8 PEM, the form
 * the manifest reads; {@link #pkcs1Key} makes the form it must refuse with advice.
 */
public final class EtcdTls {

    /** A certificate and its key. */
    public record Pair(Path cert, Path key) {
    }

    private final Path dir;

    private EtcdTls(Path dir) {
        this.dir = dir;
    }

    /** Makes the CA, the foreign CA and the server certificate under {@code dir}. */
    public static EtcdTls generate(Path dir) {
        EtcdTls tls = new EtcdTls(dir);
        try {
            Files.createDirectories(dir);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        tls.authority("ca", "Lockstep test etcd CA");
        tls.authority("foreign-ca", "Some other CA");
        tls.signed("server", "etcd", "ca", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
        return tls;
    }

    /** The CA that signed etcd's certificate and every client certificate etcd accepts. */
    public Path ca() {
        return dir.resolve("ca.pem");
    }

    /** A CA that signed nothing etcd trusts. */
    public Path foreignCa() {
        return dir.resolve("foreign-ca.pem");
    }

    /** The members' certificate, for clients and peers alike. */
    public Pair server() {
        return pair("server");
    }

    /** A client certificate with common name {@code commonName}, signed by {@link #ca()} (made once). */
    public Pair client(String commonName) {
        String name = "client-" + commonName;
        if (!Files.exists(dir.resolve(name + ".pem"))) {
            signed(name, commonName, "ca", "extendedKeyUsage=clientAuth\n");
        }
        return pair(name);
    }

    /** A client certificate with common name {@code commonName} signed by {@link #foreignCa()}. */
    public Pair foreignClient(String commonName) {
        String name = "foreign-client-" + commonName;
        if (!Files.exists(dir.resolve(name + ".pem"))) {
            signed(name, commonName, "foreign-ca", "extendedKeyUsage=clientAuth\n");
        }
        return pair(name);
    }

    /** A new RSA key in the traditional PKCS#1 form ({@code BEGIN RSA PRIVATE KEY}), as puppet writes its keys. */
    public Path pkcs1Key(String name) {
        Path key = dir.resolve(name + "-pkcs1.key");
        openssl("genrsa", "-traditional", "-out", key.toString(), "2048");
        return key;
    }

    private Pair pair(String name) {
        return new Pair(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    }

    private void authority(String name, String commonName) {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                name + ".key", "-out", name + ".pem", "-days", "2", "-subj", "/CN=" + commonName);
    }

    private void signed(String name, String commonName, String ca, String extensions) {
        try {
            Files.writeString(dir.resolve(name + ".ext"), extensions);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                name + ".raw.key", "-out", name + ".csr", "-subj", "/CN=" + commonName);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial",
                "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", name + ".raw.key", "-out", name + ".key");
    }

    private void openssl(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        Processes.run(dir, command);
    }
}

package org.lockstep.manifest.store.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.net.ssl.SSLException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContextBuilder;

/**
 * Builds jetcd clients from {@link EtcdSettings}, reading the TLS and password files each time, so a file fixed
 * after a failed attempt is used by the next one. A file that cannot work is an {@link EtcdFault} with
 * {@link EtcdProblem#CLIENT_CONFIG} that names it (a PKCS#1 key says how to convert it).
 */
final class EtcdClients {

    private static final String KEY = EtcdSettings.KEY;

    private EtcdClients() {
    }

    /**
     * The store's client: a call waits for a connection until the store's timeout, so a member failing over costs
     * a short wait rather than an error.
     */
    static Client forStore(EtcdSettings settings) {
        return builder(settings).waitForReady(true).build();
    }

    /**
     * The probe's client: a call fails at once with the transport's own error (refused, TLS alert, untrusted
     * certificate) instead of waiting, so the cause can be named; no retries, the connection's loop retries.
     */
    static Client forProbe(EtcdSettings settings) {
        return builder(settings).waitForReady(false).retryMaxAttempts(0).build();
    }

    private static ClientBuilder builder(EtcdSettings settings) {
        ClientBuilder builder = Client.builder().endpoints(settings.endpoints()).connectTimeout(settings.timeout());
        if (settings.tls()) {
            builder.sslContext(sslContext(settings));
            if (settings.authority() != null) {
                builder.authority(settings.authority());
            }
        }
        if (settings.user() != null) {
            builder.user(ByteSequence.from(settings.user(), UTF_8))
                    .password(ByteSequence.from(password(settings.passwordFile()), UTF_8));
        }
        return builder;
    }

    private static io.netty.handler.ssl.SslContext sslContext(EtcdSettings settings) {
        SslContextBuilder ssl = GrpcSslContexts.forClient();
        if (settings.caFile() != null) {
            ssl.trustManager(readable(settings.caFile(), "tls.ca-file").toFile());
        }
        if (settings.certFile() != null) {
            ssl.keyManager(readable(settings.certFile(), "tls.cert-file").toFile(),
                    pkcs8(settings.keyFile()).toFile());
        }
        try {
            return ssl.build();
        }
        catch (SSLException | IllegalArgumentException ex) {
            throw new EtcdFault(EtcdProblem.CLIENT_CONFIG, "the TLS files do not make a client context ("
                    + ex.getMessage() + "): " + KEY + "tls.ca-file " + settings.caFile() + ", tls.cert-file "
                    + settings.certFile() + ", tls.key-file " + settings.keyFile(), ex);
        }
    }

    /** Netty reads PKCS#8 PEM keys only; say so, with the command, instead of "File does not contain a key". */
    private static Path pkcs8(Path keyFile) {
        String text = read(keyFile, "tls.key-file");
        if (text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")) {
            throw new EtcdFault(EtcdProblem.CLIENT_CONFIG, KEY + "tls.key-file " + keyFile + " is a PKCS#1/SEC1 key "
                    + "(as puppet writes them); convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + keyFile
                    + " -out <new file>", null);
        }
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new EtcdFault(EtcdProblem.CLIENT_CONFIG, KEY + "tls.key-file " + keyFile + " is encrypted; give "
                    + "an unencrypted PKCS#8 key readable by the service only", null);
        }
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new EtcdFault(EtcdProblem.CLIENT_CONFIG, KEY + "tls.key-file " + keyFile + " holds no PEM private "
                    + "key (-----BEGIN PRIVATE KEY-----)", null);
        }
        return keyFile;
    }

    /** The password is the file's content; one trailing newline (as editors and echo leave) is not part of it. */
    private static String password(Path file) {
        String text = read(file, "password-file");
        String password = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (password.isEmpty()) {
            throw new EtcdFault(EtcdProblem.CLIENT_CONFIG, KEY + "password-file " + file + " is empty", null);
        }
        return password;
    }

    private static Path readable(Path file, String key) {
        read(file, key);
        return file;
    }

    private static String read(Path file, String key) {
        try {
            return Files.readString(file, UTF_8);
        }
        catch (IOException ex) {
            throw new EtcdFault(EtcdProblem.CLIENT_CONFIG, "cannot read " + KEY + key + " " + file + " ("
                    + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage())
                    + ")", ex);
        }
    }
}

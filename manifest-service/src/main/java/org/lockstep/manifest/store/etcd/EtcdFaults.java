package org.lockstep.manifest.store.etcd;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.netty.handler.ssl.NotSslRecordException;

/**
 * Turns what jetcd, gRPC and the JDK throw into an {@link EtcdFault}: which {@link EtcdProblem}, and a sentence that
 * names what was refused. The rules follow what etcd 3.4 and jetcd 0.8 answer for each case (the store's
 * integration tests provoke every one against a real etcd).
 */
final class EtcdFaults {

    private EtcdFaults() {
    }

    static EtcdFault classify(Throwable failure, EtcdSettings settings, Duration timeout) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            if (t instanceof EtcdFault fault) {
                return fault;
            }
            chain.add(t);
        }
        for (Throwable t : chain) {
            Status status = statusOf(t);
            if (status == null) {
                continue;
            }
            String description = status.getDescription() == null ? "" : status.getDescription();
            if (status.getCode() == Status.Code.PERMISSION_DENIED) {
                return new EtcdFault(EtcdProblem.PERMISSION_DENIED, "etcd refused " + settings.who()
                        + " access to " + settings.prefix() + ": " + description, failure);
            }
            if (description.contains("authentication") || description.contains("user name")
                    || description.contains("auth token")) {
                return new EtcdFault(EtcdProblem.AUTH_FAILED, "etcd refused " + settings.who() + ": "
                        + description, failure);
            }
            if (description.contains("no leader") || description.contains("request timed out")
                    || description.contains("leader changed")) {
                return new EtcdFault(EtcdProblem.NOT_ANSWERING, "etcd answered: " + description, failure);
            }
        }
        for (Throwable t : chain) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof NotSslRecordException || message.contains("while performing TLS negotiation")) {
                return new EtcdFault(EtcdProblem.TLS_MISMATCH, "https:// endpoints, but etcd does not speak TLS: "
                        + firstLine(message), failure);
            }
            if (t instanceof SSLException && message.contains("fatal alert")) {
                return new EtcdFault(EtcdProblem.CERTIFICATE_REJECTED, "etcd refused the TLS handshake ("
                        + message + ") with " + (settings.certFile() == null ? "no client certificate"
                        : "client certificate " + settings.certFile()), failure);
            }
            if (t instanceof CertificateException || message.contains("PKIX") || message.contains("No name matching")
                    || message.contains("No subject alternative")) {
                return new EtcdFault(EtcdProblem.SERVER_UNTRUSTED, "etcd's certificate is not trusted ("
                        + firstLine(message) + ") by " + (settings.caFile() == null ? "the JVM's trust store"
                        : "tls.ca-file " + settings.caFile()), failure);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return new EtcdFault(EtcdProblem.UNREACHABLE, "no etcd endpoint accepted a connection ("
                        + firstLine(message) + ")", failure);
            }
            if (t instanceof TimeoutException) {
                return new EtcdFault(EtcdProblem.NOT_ANSWERING, "etcd did not answer within " + timeout, failure);
            }
            String lower = message.toLowerCase(Locale.ROOT);
            if (!settings.tls() && (lower.contains("network closed for unknown reason")
                    || lower.contains("connection reset"))) {
                return new EtcdFault(EtcdProblem.TLS_MISMATCH, "etcd dropped the connection at once, as a TLS etcd "
                        + "does to http:// clients: " + message, failure);
            }
        }
        Throwable root = chain.get(chain.size() - 1);
        return new EtcdFault(EtcdProblem.FAILED, firstLine(root.toString()), failure);
    }

    private static Status statusOf(Throwable t) {
        if (t instanceof StatusRuntimeException runtime) {
            return runtime.getStatus();
        }
        if (t instanceof StatusException checked) {
            return checked.getStatus();
        }
        return null;
    }

    /** gRPC appends the channel pipeline on further lines; the first says what happened. */
    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end).trim();
    }
}

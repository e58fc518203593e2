package org.lockstep.testing.etcd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.lockstep.testing.Http;
import org.lockstep.testing.ManagedProcess;
import org.lockstep.testing.Processes;

/**
 * A real etcd member (Debian's {@code etcd} 3.4 binary, or system property {@code etcd.binary}) on loopback ports
 * chosen at run time, with its data in a directory the test owns, so it can be killed and started again on the same
 * data. Alone ({@link #start}) or one of {@link EtcdMembers}; plain or over TLS ({@link #startTls}: clients and peers
 * over TLS, client certificates required, as production runs it). Health is read from a plain metrics listener
 * ({@code --listen-metrics-urls}), so the test needs no certificate to know a member is up. A
 * {@link ManagedProcess}: nothing of it outlives the test.
 */
public final class EtcdProcess implements AutoCloseable {

    private static final Path BINARY = Path.of(System.getProperty("etcd.binary", "/usr/bin/etcd"));

    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final String name;

    private final Path dataDir;

    private final Path log;

    private final EtcdTls tls;

    private final int clientPort = Processes.freePort();

    private final int peerPort = Processes.freePort();

    private final int metricsPort = Processes.freePort();

    private String initialCluster;

    private ManagedProcess process;

    EtcdProcess(Path workDir, String name, EtcdTls tls) {
        this.name = name;
        this.dataDir = workDir.resolve(name + "-data");
        this.log = workDir.resolve(name + ".log");
        this.tls = tls;
        this.initialCluster = name + "=" + peerUrl();
    }

    /** Starts a single plain member with its data under {@code workDir}; returns once it is healthy. */
    public static EtcdProcess start(Path workDir) {
        EtcdProcess etcd = new EtcdProcess(workDir, "default", null);
        etcd.restart();
        return etcd;
    }

    /** Starts a single member over TLS with client certificates required (certificates from {@code tls}). */
    public static EtcdProcess startTls(Path workDir, EtcdTls tls) {
        EtcdProcess etcd = new EtcdProcess(workDir, "default", tls);
        etcd.restart();
        return etcd;
    }

    public String name() {
        return name;
    }

    /** {@code http://127.0.0.1:<port>}, or {@code https://} over TLS. */
    public String endpoint() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + clientPort;
    }

    public List<String> endpoints() {
        return List.of(endpoint());
    }

    String peerUrl() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + peerPort;
    }

    void initialCluster(String members) {
        this.initialCluster = members;
    }

    /** Starts (again) on the same ports and data directory and waits until it is healthy. */
    public void restart() {
        launch();
        awaitHealthy();
    }

    /** Starts (again) without waiting: a member of a new cluster is healthy only once a majority runs. */
    void launch() {
        if (process != null && process.alive()) {
            throw new IllegalStateException("etcd " + name + " is still running");
        }
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--name", name, "--data-dir",
                dataDir.toString(), "--listen-client-urls", endpoint(), "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peerUrl(), "--initial-advertise-peer-urls", peerUrl(), "--initial-cluster",
                initialCluster, "--initial-cluster-state", "new", "--initial-cluster-token", "lockstep-test",
                "--listen-metrics-urls", "http://127.0.0.1:" + metricsPort));
        if (tls != null) {
            EtcdTls.Pair server = tls.server();
            command.addAll(List.of("--cert-file", server.cert().toString(), "--key-file", server.key().toString(),
                    "--trusted-ca-file", tls.ca().toString(), "--client-cert-auth",
                    "--peer-cert-file", server.cert().toString(), "--peer-key-file", server.key().toString(),
                    "--peer-trusted-ca-file", tls.ca().toString(), "--peer-client-cert-auth"));
        }
        process = ManagedProcess.command(command).named("etcd " + name + " on port " + clientPort).log(log).start();
    }

    /** Waits until the member answers {@code /health} with {@code true} (it has a leader). */
    void awaitHealthy() {
        try {
            process.await("health", START_TIMEOUT, this::healthy);
        }
        catch (RuntimeException | AssertionError ex) {
            process.close();
            throw ex;
        }
    }

    /** Whether the member runs and reports a leader. */
    public boolean healthy() {
        Http.Fetched health = Http.get("http://127.0.0.1:" + metricsPort + "/health", Duration.ofSeconds(1));
        return health.status() == 200 && health.body().contains("\"true\"");
    }

    public boolean alive() {
        return process != null && process.alive();
    }

    /** SIGKILL, as a crash or a pulled plug would: no chance to flush or say goodbye. */
    public void kill() {
        if (process != null) {
            process.kill();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }

    @Override
    public String toString() {
        return "etcd " + name + " (" + endpoint() + ")";
    }
}

package org.lockstep.testing.etcd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.lockstep.testing.Http;
import org.lockstep.testing.ManagedProcess;
import org.lockstep.testing.Processes;

/**
 * A real single-member etcd (Debian's {@code etcd} 3.4 binary, or system property {@code etcd.binary}) on loopback
 * ports chosen at run time, with its data in a directory the test owns, so it can be killed and started again on the
 * same data. A {@link ManagedProcess}: nothing of it outlives the test.
 */
public final class EtcdProcess implements AutoCloseable {

    private static final Path BINARY = Path.of(System.getProperty("etcd.binary", "/usr/bin/etcd"));

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path dataDir;

    private final Path log;

    private final int clientPort;

    private final int peerPort;

    private ManagedProcess process;

    private EtcdProcess(Path workDir) {
        this.dataDir = workDir.resolve("etcd-data");
        this.log = workDir.resolve("etcd.log");
        this.clientPort = Processes.freePort();
        this.peerPort = Processes.freePort();
    }

    /** Starts etcd with its data under {@code workDir} and returns once it answers its health check. */
    public static EtcdProcess start(Path workDir) {
        EtcdProcess etcd = new EtcdProcess(workDir);
        etcd.restart();
        return etcd;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    public List<String> endpoints() {
        return List.of(endpoint());
    }

    /** Starts (again) on the same ports and data directory. */
    public void restart() {
        if (process != null && process.alive()) {
            throw new IllegalStateException("etcd is still running");
        }
        String client = endpoint();
        String peer = "http://127.0.0.1:" + peerPort;
        process = ManagedProcess.command(List.of(BINARY.toString(), "--name", "default", "--data-dir",
                dataDir.toString(), "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster",
                "default=" + peer)).named("etcd on port " + clientPort).log(log).start();
        try {
            process.await("health", START_TIMEOUT, () -> {
                Http.Fetched health = Http.get(endpoint() + "/health", Duration.ofSeconds(1));
                return health.status() == 200 && health.body().contains("\"true\"");
            });
        }
        catch (RuntimeException | AssertionError ex) {
            process.close();
            throw ex;
        }
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
}

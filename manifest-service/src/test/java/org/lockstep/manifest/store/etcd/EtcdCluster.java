package org.lockstep.manifest.store.etcd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.lockstep.testing.etcd.EtcdProcess;

/**
 * One real etcd per test class, and the stores a test opens on it, closed after each test. Register it as a static
 * field ({@code @RegisterExtension static final EtcdCluster etcd = new EtcdCluster();}), so a test class can have
 * another base class ({@link EtcdStoreScenario} is one such field plus the rollout helpers). Each test uses a fresh
 * key prefix ({@link #newPrefix}): as good as a fresh cluster, and much faster.
 */
final class EtcdCluster implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final List<EtcdManifestStore> opened = new ArrayList<>();

    private Path dir;

    private EtcdProcess process;

    static String newPrefix() {
        return "/lockstep-test-" + PREFIXES.incrementAndGet() + "/";
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("etcd-");
        process = EtcdProcess.start(dir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        process.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        opened.forEach(EtcdManifestStore::close);
        opened.clear();
    }

    /** The running etcd, to kill and restart. */
    EtcdProcess process() {
        return process;
    }

    /** Another manifest instance on {@code keyPrefix}: its own client, watch and listeners. */
    EtcdManifestStore open(String keyPrefix, Duration timeout) {
        EtcdManifestStore store = new EtcdManifestStore(process.endpoints(), keyPrefix, timeout);
        opened.add(store);
        return store;
    }
}

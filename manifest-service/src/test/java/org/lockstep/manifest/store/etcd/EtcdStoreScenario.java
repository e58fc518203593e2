package org.lockstep.manifest.store.etcd;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lockstep.manifest.rollout.machine.Command;
import org.lockstep.manifest.rollout.machine.Command.Ancestry;
import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.manifest.rollout.machine.RolloutMachine;
import org.lockstep.manifest.rollout.machine.Transition;
import org.lockstep.testing.etcd.EtcdProcess;

/**
 * What the etcd store tests share: one real etcd per test class ({@link EtcdCluster}), a fresh key prefix per test,
 * stores that are closed after each test, and the rollout machine to drive them.
 */
abstract class EtcdStoreScenario {

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    static final Duration TIMEOUT = EtcdCluster.TIMEOUT;

    @RegisterExtension
    static final EtcdCluster cluster = new EtcdCluster();

    static EtcdProcess etcd;

    final String prefix = EtcdCluster.newPrefix();

    private final RolloutMachine machine = new RolloutMachine();

    @BeforeAll
    static void findEtcd() {
        etcd = cluster.process();
    }

    /** Another manifest instance on this test's prefix: its own client, watch and listeners. */
    EtcdManifestStore open() {
        return open(prefix, TIMEOUT);
    }

    EtcdManifestStore open(String keyPrefix, Duration timeout) {
        return cluster.open(keyPrefix, timeout);
    }

    /** Applies {@code command} to {@code repo} of {@code store}, its expected hosts set to {@code hosts} first. */
    Transition apply(EtcdManifestStore store, String repo, Set<String> hosts, Command command) {
        if (!store.expectedHosts(repo).equals(hosts)) {
            Command change = new Command.ChangeHosts(hosts);
            store.update(repo, change.reads(), (snapshot, next) -> machine.apply(snapshot, change, NOW, next));
        }
        return store.update(repo, command.reads(), (snapshot, next) -> machine.apply(snapshot, command, NOW, next));
    }

    static Command target(String commit) {
        return new Command.SetTarget(commit, Ancestry.NO_ACTIVE, false, "ci", "test");
    }

    /** A host that prepared and switched to {@code commit}. */
    static Command report(String host, String commit) {
        return new Command.Report(host, new HostStatus(commit, commit, null, null, null, null, NOW));
    }

    /** A host that prepared {@code commit} (its {@code next}) but still serves what it had. */
    static Command prepared(String host, String commit) {
        return new Command.Report(host, new HostStatus(null, commit, null, null, null, null, NOW));
    }

    /** A host still preparing {@code commit}: changes the state, not what agents must do. */
    static Command preparing(String host, String commit) {
        return new Command.Report(host, new HostStatus(null, null, commit, null, null, null, NOW));
    }

    static String commit(int n) {
        return String.format("%040x", n);
    }
}

package org.lockstep.manifest.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.lockstep.manifest.change.Changes;
import org.lockstep.manifest.rollout.machine.HostEntry;
import org.lockstep.manifest.rollout.machine.HostsRead;
import org.lockstep.manifest.rollout.machine.RepoSnapshot;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.Transition;

/**
 * Durable state of the manifest, per repository: a summary ({@link RepoState}, constant size), the expected hosts,
 * one {@link HostEntry} per host, the rollout history; and the revision that agents poll. Implementations make each
 * {@link #update} atomic and durable before it returns, so an acknowledged target survives a crash, and write only
 * what the transition changed: a report writes its host's entry (and the summary when a count or a rollout moved),
 * a heartbeat nothing.
 */
public interface ManifestStore {

    /** The UUID made when this store was created; agents use it to tell a rebuilt manifest from a stale one. */
    String storeId();

    /** The current revision: grows whenever any repository's desired state changes. */
    long revision();

    Optional<RepoState> repo(String name);

    /** The hosts that must serve {@code repo} (empty before they were first set); an unmodifiable set. */
    Set<String> expectedHosts(String repo);

    Optional<HostEntry> host(String repo, String host);

    /** Every host entry of {@code repo}, by host name (for reads that show the fleet; not on the report path). */
    List<HostEntry> hosts(String repo);

    /**
     * Reads the repository's summary (or an empty one), its expected hosts and the entries {@code reads} names, as of
     * one moment; applies {@code mutation} and, if it changed anything, writes what it changed in one durable step. A
     * change that bumps the desired state advances the revision. Concurrent updates of one repository are
     * serialized or retried; {@code mutation} may run more than once and must not have side effects.
     */
    Transition update(String repo, HostsRead reads, Mutation mutation);

    /** A repository's rollouts, newest first. */
    List<Rollout> rollouts(String repo, int offset, int limit);

    long rolloutCount(String repo);

    Optional<Rollout> rollout(long id);

    /**
     * The change channel: every write of {@link #update} that changed something, announced once it is durable, and
     * for a store shared by several instances also every revision another instance wrote.
     */
    Changes changes();

    /** Whether the store can serve now, and why not: the {@code store} component of {@code /actuator/health}. */
    default StoreHealth health() {
        return new StoreHealth(true, Map.of());
    }

    /**
     * Runs {@code startup} once the store is open: at once for a store that opened in its constructor, later for one
     * that is still connecting (its methods throw {@link StoreNotOpen} meanwhile). A {@code startup} that fails with
     * {@link StoreUnavailable} is tried again until it succeeds; until then the store is not healthy.
     */
    default void whenOpen(Runnable startup) {
        startup.run();
    }

    /**
     * Throws {@link StoreUnavailable} ({@link StoreNotOpen} before it opened) when the store cannot serve now, as
     * far as it knows without a round trip. A long-poll checks this, because it is answered from memory: an instance
     * cut off from its store must send its agents to another instance, not hold them with what it knew last.
     */
    default void checkAvailable() {
    }

    /** A pure mutation of one repository. */
    @FunctionalInterface
    interface Mutation {

        /**
         * @param snapshot     the repository as stored now (summary, expected hosts, the entries asked for)
         * @param nextRevision the revision this write will have if it changes the desired state
         */
        Transition apply(RepoSnapshot snapshot, long nextRevision);
    }
}

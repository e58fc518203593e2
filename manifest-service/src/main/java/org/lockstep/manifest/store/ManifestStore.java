package org.lockstep.manifest.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.lockstep.manifest.change.Changes;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.Transition;

/**
 * Durable state of the manifest: one {@link RepoState} per repository, the rollout history, and the revision that
 * agents poll. Implementations make each {@link #update} atomic and durable before it returns, so an acknowledged
 * target survives a crash.
 */
public interface ManifestStore {

    /** The UUID made when this store was created; agents use it to tell a rebuilt manifest from a stale one. */
    String storeId();

    /** The current revision: grows whenever any repository's desired state changes. */
    long revision();

    Optional<RepoState> repo(String name);

    /**
     * Reads the repository's state (or {@code ifAbsent}), applies {@code mutation} and, if it changed anything, writes
     * the new state and the touched rollouts in one durable step. A change that bumps the desired state advances
     * the revision. Concurrent updates of one repository are serialized or retried; {@code mutation} may run more than
     * once and must not have side effects.
     */
    Transition update(RepoState ifAbsent, Mutation mutation);

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

    /** A pure mutation of one repository's state. */
    @FunctionalInterface
    interface Mutation {

        /**
         * @param current      the state as stored now
         * @param nextRevision the revision this write will have if it changes the desired state
         */
        Transition apply(RepoState current, long nextRevision);
    }
}

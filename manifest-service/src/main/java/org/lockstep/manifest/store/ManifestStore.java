package org.lockstep.manifest.store;

import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

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
     * Reads the repository's state (or {@code ifAbsent}), applies {@code change} and, if it changed anything, writes
     * the new state and the touched rollouts in one durable step. A change that bumps the desired state advances
     * the revision. Concurrent updates of one repository are serialized or retried; {@code change} may run more than
     * once and must not have side effects.
     */
    Transition update(RepoState ifAbsent, Change change);

    /** A repository's rollouts, newest first. */
    List<Rollout> rollouts(String repo, int offset, int limit);

    long rolloutCount(String repo);

    Optional<Rollout> rollout(long id);

    /** Called with the new revision after every change of it, including changes made by other instances. */
    void onRevision(LongConsumer listener);

    /** A pure change of one repository's state. */
    @FunctionalInterface
    interface Change {

        /**
         * @param current      the state as stored now
         * @param nextRevision the revision this write will have if it changes the desired state
         */
        Transition apply(RepoState current, long nextRevision);
    }
}

package org.lockstep.manifest.change;

import java.util.List;

import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.Transition;

/** One durable change of the manifest's state, as every subscriber of the {@link ChangeChannel} hears it. */
public sealed interface Change {

    /** The store's revision once the change was durable. */
    long revision();

    /** Whether what agents must do changed, i.e. the revision advanced to {@link #revision()}. */
    boolean desiredChanged();

    /**
     * Whether this is the first announcement of {@link #revision()} as a new revision: true exactly once per
     * revision, however many changes mention it (the etcd watch echoes this instance's own writes, and may do so
     * before the write itself is announced). Whoever fans out per revision, such as the long-poll waiters, does it
     * on this; whoever counts writes, such as the metrics, looks at every {@link Written}.
     */
    boolean newRevision();

    /**
     * This instance wrote one repository's state (a target, a report, a pause, ...), durably, before this is heard.
     *
     * @param revision    the store revision after the write (unchanged unless {@code transition.desiredChanged()})
     * @param transition  what the write changed, as stored
     * @param newRevision set by the channel (see {@link Change#newRevision()})
     */
    record Written(long revision, Transition transition, boolean newRevision) implements Change {

        /** A write as its store publishes it; the channel decides whether it announces a new revision. */
        public Written(long revision, Transition transition) {
            this(revision, transition, transition.desiredChanged());
        }

        @Override
        public boolean desiredChanged() {
            return transition.desiredChanged();
        }

        public String repo() {
            return transition.state().name();
        }

        /** Rollouts created or changed by the write. */
        public List<Rollout> rollouts() {
            return transition.rollouts();
        }
    }

    /**
     * Another manifest instance advanced the revision of the shared store (heard through the etcd watch). Only the
     * revision is known here; a subscriber that needs more reads the store.
     */
    record Heard(long revision) implements Change {

        @Override
        public boolean desiredChanged() {
            return true;
        }

        /** Always: the channel drops a heard revision that is not new. */
        @Override
        public boolean newRevision() {
            return true;
        }
    }
}

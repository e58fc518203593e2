package org.lockstep.manifest.rollout.machine;

import java.util.Set;

/** Everything that can happen to a repository's deployment. The facts a command needs (git ancestry) come with it. */
public sealed interface Command {

    /**
     * A new target from CI, a webhook or an operator.
     *
     * @param ancestry how {@code commit} relates to the active commit (checked against the branch beforehand)
     * @param rollback whether the caller explicitly allows moving backwards
     */
    record SetTarget(String commit, Ancestry ancestry, boolean rollback, String actor, String reason)
            implements Command {
    }

    /** A host reported what it has on disk for this repository. */
    record Report(String host, HostStatus status) implements Command {
    }

    /** The configured set of expected hosts changed (read at start-up). */
    record ChangeHosts(Set<String> hosts) implements Command {
    }

    /** Hold back activation: hosts still prepare, nothing becomes active. */
    record Pause(String actor, String reason) implements Command {
    }

    /** Let activation happen again; activates at once if every host is ready. */
    record Resume(String actor, String reason) implements Command {
    }

    /**
     * Withdraw the pending rollout.
     *
     * @param rollout the id of the rollout the operator saw pending, or {@code null} for whichever is pending now;
     *                checked in the same update that cancels, so a target set in between is never cancelled
     */
    record Cancel(String actor, String reason, Long rollout) implements Command {

        /** Cancels whichever rollout is pending. */
        public Cancel(String actor, String reason) {
            this(actor, reason, null);
        }
    }

    /** How a target commit relates to the active commit along the branch. */
    enum Ancestry {
        /** Nothing is active yet. */
        NO_ACTIVE,
        /** The target is the active commit. */
        SAME,
        /** The target contains the active commit: a move forward. */
        DESCENDANT,
        /** The target lacks the active commit (an ancestor, or on a side line merged earlier): a move back. */
        NOT_DESCENDANT
    }
}

package org.lockstep.manifest.rollout.machine;

import java.util.Optional;

/**
 * What happened to a rollout, as its audit history records it. The JSON form is the constant's name (the API's
 * {@code action} field), so readers of the history see the same words as before this was a type.
 */
public enum RolloutAction {

    /** A target was set: the rollout exists and enters {@link RolloutState#PREPARING}. */
    CREATED,

    /** Every expected host had the commit prepared: it became the active commit. */
    ACTIVATING,

    /** Every expected host serves the commit. */
    COMPLETE,

    /** A newer target (or an activation of one) came before this rollout finished. */
    SUPERSEDED,

    /** An operator withdrew the rollout before it was activated. */
    CANCELLED,

    /** An operator held back activation; the rollout's state does not change. */
    PAUSED,

    /** An operator let activation happen again; the rollout's state does not change. */
    RESUMED,

    /** An operator asked hosts to retry a permanently failed preparation; the rollout's state does not change. */
    RETRIED,

    /**
     * Every expected host has the commit prepared, but a commit of a repository it is listed after
     * ({@code activate-after}) is not served everywhere yet: activation waits. Recorded once, by the system.
     */
    WAITING,

    /**
     * A commit it waited for ({@code activate-after}) is served by every expected host of its repository (or a
     * descendant is); recorded once per requirement, by the system, with the repository and commit as the reason.
     */
    REQUIREMENT_MET;

    /** The state a rollout enters with this action; empty for an action recorded against the state it is in. */
    public Optional<RolloutState> enters() {
        return switch (this) {
            case CREATED -> Optional.of(RolloutState.PREPARING);
            case ACTIVATING -> Optional.of(RolloutState.ACTIVATING);
            case COMPLETE -> Optional.of(RolloutState.COMPLETE);
            case SUPERSEDED -> Optional.of(RolloutState.SUPERSEDED);
            case CANCELLED -> Optional.of(RolloutState.CANCELLED);
            case PAUSED, RESUMED, RETRIED, WAITING, REQUIREMENT_MET -> Optional.empty();
        };
    }

    /** The action that moves a rollout into {@code state}. */
    static RolloutAction entering(RolloutState state) {
        return switch (state) {
            case PREPARING -> CREATED;
            case ACTIVATING -> ACTIVATING;
            case COMPLETE -> COMPLETE;
            case SUPERSEDED -> SUPERSEDED;
            case CANCELLED -> CANCELLED;
        };
    }
}

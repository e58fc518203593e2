package org.lockstep.manifest.rollout.machine;

/**
 * Where one rollout stands. The only moves are {@code PREPARING -> ACTIVATING -> COMPLETE}, and from a state that is
 * not terminal to {@code SUPERSEDED}; {@code PREPARING -> CANCELLED}. {@link Rollout#moveTo} enforces them.
 */
public enum RolloutState {

    /** Hosts fetch and materialize the commit; it is not active anywhere. Stays here while a host reports an error. */
    PREPARING,

    /** Every expected host had the commit prepared; it is now the active commit and hosts are switching to it. */
    ACTIVATING,

    /** Every expected host serves the commit. */
    COMPLETE,

    /** A newer target came before this one finished: before activation, or before every host had switched. */
    SUPERSEDED,

    /** An operator withdrew it before it was activated. */
    CANCELLED;

    /** Whether the rollout can still change. */
    public boolean isTerminal() {
        return this == COMPLETE || this == SUPERSEDED || this == CANCELLED;
    }

    boolean canMoveTo(RolloutState next) {
        return switch (this) {
            case PREPARING -> next == ACTIVATING || next == SUPERSEDED || next == CANCELLED;
            case ACTIVATING -> next == COMPLETE || next == SUPERSEDED;
            case COMPLETE, SUPERSEDED, CANCELLED -> false;
        };
    }
}

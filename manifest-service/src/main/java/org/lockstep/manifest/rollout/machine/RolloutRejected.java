package org.lockstep.manifest.rollout.machine;

/** A command the current state does not allow; nothing was changed. The API answers 409 with {@link #kind()}. */
public class RolloutRejected extends RuntimeException {

    /** Why, as a stable identifier (becomes the problem detail's type). */
    public enum Kind {
        /** The target is not a descendant of the active commit and no rollback was asked for. */
        NOT_FORWARD,
        /** Cancel with no rollout being prepared. */
        NOTHING_TO_CANCEL,
        /** Retry with no rollout being prepared. */
        NOTHING_TO_RETRY
    }

    private final Kind kind;

    public RolloutRejected(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

package org.lockstep.agent.git;

/**
 * A failure to fetch or export a commit. {@link #permanent()} says whether trying the same commit again can help:
 * an unreachable remote may come back, an unsafe symlink in a commit never goes away.
 */
public abstract class GitFailure extends RuntimeException {

    protected GitFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code true} when retrying the same commit cannot succeed. */
    public abstract boolean permanent();
}

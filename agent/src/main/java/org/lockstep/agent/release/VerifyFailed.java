package org.lockstep.agent.release;

/**
 * The repository's {@code verify-command} exited non-zero or ran out of time in a new release. The message carries
 * the end of its output. Retrying the same commit gives the same answer, so it is not retried.
 */
public class VerifyFailed extends RuntimeException {

    public VerifyFailed(String message) {
        super(message);
    }
}

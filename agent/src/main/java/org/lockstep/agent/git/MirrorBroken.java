package org.lockstep.agent.git;

/** The local mirror could not be read or written (disk full, permissions, corruption). */
public class MirrorBroken extends GitFailure {

    public MirrorBroken(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean permanent() {
        return false;
    }
}

package org.lockstep.agent.git;

/** A tree entry whose name could escape the release ({@code ..}, {@code .}, empty) or sits below a symlink. */
public class UnsafePath extends GitFailure {

    public UnsafePath(String message) {
        super(message, null);
    }

    @Override
    public boolean permanent() {
        return true;
    }
}

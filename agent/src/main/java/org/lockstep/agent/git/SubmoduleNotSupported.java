package org.lockstep.agent.git;

/** The commit has a submodule (a gitlink entry); its content is not in this repository, so it cannot be served. */
public class SubmoduleNotSupported extends GitFailure {

    public SubmoduleNotSupported(String message) {
        super(message, null);
    }

    @Override
    public boolean permanent() {
        return true;
    }
}

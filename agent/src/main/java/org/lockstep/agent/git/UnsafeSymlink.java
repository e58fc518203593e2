package org.lockstep.agent.git;

/**
 * The commit has a symlink that is absolute or resolves outside the release. A web server following it could be
 * led anywhere on the host, so the whole release is refused.
 */
public class UnsafeSymlink extends GitFailure {

    public UnsafeSymlink(String message) {
        super(message, null);
    }

    @Override
    public boolean permanent() {
        return true;
    }
}

package org.lockstep.agent.git;

/**
 * The commit's tree holds what git's own fsck refuses (a name twice, {@code .git} in any spelling a file system
 * could fold to it, a bad mode, entries out of order). Git's porcelain never writes such a tree; someone crafted it.
 * Nothing of it is written, and the same commit gives the same answer every time.
 */
public class MalformedTree extends GitFailure {

    public MalformedTree(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean permanent() {
        return true;
    }
}

package org.lockstep.agent.sync;

/**
 * What the disk cannot say about one repository: the commit being prepared right now and the last error.
 *
 * @param preparing   the commit being fetched or materialized, or {@code null}
 * @param error       the last error in words, or {@code null}
 * @param errorCommit the commit the error concerns, or {@code null}
 * @param permanent   whether retrying {@code errorCommit} is pointless
 */
record RepoStatus(String preparing, String error, String errorCommit, boolean permanent) {

    static final RepoStatus IDLE = new RepoStatus(null, null, null, false);

    RepoStatus preparing(String commit) {
        return new RepoStatus(commit, error, errorCommit, permanent);
    }

    RepoStatus failed(String message, String commit, boolean isPermanent) {
        return new RepoStatus(null, message, commit, isPermanent);
    }

    boolean gaveUpOn(String commit) {
        return permanent && commit != null && commit.equals(errorCommit);
    }
}

package org.lockstep.manifest.rollout;

/** The target commit is not reachable from the repository's branch (invariant 8). The API answers 409. */
public class CommitNotOnBranch extends RuntimeException {

    public CommitNotOnBranch(String repo, String commit, String branch) {
        super("commit " + commit + " is not on branch " + branch + " of " + repo);
    }
}

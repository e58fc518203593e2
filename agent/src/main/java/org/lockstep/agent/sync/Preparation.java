package org.lockstep.agent.sync;

/**
 * One preparation of a commit (fetch, materialize, verify) running apart from the repository's control thread, so
 * that a switch never waits for it. It is cancelled when its commit stops being wanted (a newer target, an activation
 * of a commit that must be prepared first, the agent stopping): it notices at its next checkpoint (after the fetch,
 * after every file written), and its half-written temporary directory is removed on the way out.
 */
final class Preparation {

    private final String commit;

    private final String branch;

    private final long generation;

    private final long retry;

    private volatile boolean cancelled;

    /**
     * @param commit     the commit to prepare
     * @param branch     the branch to fetch when the server refuses the id
     * @param generation the offer of the desired state that asked for it (see {@link RepoWorker})
     * @param retry      the operator's retry generation it runs at ({@code RepoDesired.retry} of a target, else 0)
     */
    Preparation(String commit, String branch, long generation, long retry) {
        this.commit = commit;
        this.branch = branch;
        this.generation = generation;
        this.retry = retry;
    }

    String commit() {
        return commit;
    }

    String branch() {
        return branch;
    }

    long generation() {
        return generation;
    }

    long retry() {
        return retry;
    }

    void cancel() {
        cancelled = true;
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** Called between steps: stops a cancelled preparation by throwing {@link Cancelled}. */
    void checkpoint() {
        if (cancelled) {
            throw new Cancelled(commit);
        }
    }

    /** Thrown out of a cancelled preparation; not a failure, nothing is reported. */
    static final class Cancelled extends RuntimeException {

        Cancelled(String commit) {
            super("preparation of " + commit + " cancelled", null, false, false);
        }
    }
}

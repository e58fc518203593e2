package org.lockstep.agent.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the disk cannot say about one repository: the commit being prepared right now, the last error, and when to
 * try again. A transient error is retried with backoff (1 s, 2 s, 4 s ... up to a maximum, jittered); a permanent
 * one is never retried for the same commit until the operator's retry generation for it grows.
 *
 * @param preparing   the commit being fetched or materialized, or {@code null}
 * @param error       the last error in words, or {@code null}
 * @param errorCommit the commit the error concerns, or {@code null}
 * @param permanent   whether retrying {@code errorCommit} is pointless
 * @param errorSince  when this error (for this commit) first happened, or {@code null}
 * @param retry       the operator retry generation in effect when it failed
 * @param failures    consecutive failures for {@code errorCommit}
 * @param retryAt     for a transient error: not before this time again
 */
record RepoStatus(String preparing, String error, String errorCommit, boolean permanent, Instant errorSince,
                  long retry, int failures, Instant retryAt) {

    static final RepoStatus IDLE = new RepoStatus(null, null, null, false, null, 0, 0, null);

    private static final Duration FIRST = Duration.ofSeconds(1);

    RepoStatus preparing(String commit) {
        return new RepoStatus(commit, error, errorCommit, permanent, errorSince, retry, failures, retryAt);
    }

    /**
     * This status after a failure at {@code now}: the same error for the same commit keeps its {@code errorSince}
     * and counts up; a transient one gets its next attempt {@code backoff} later.
     */
    RepoStatus failed(String message, String commit, boolean isPermanent, Instant now, long generation,
                      Duration backoffMax) {
        boolean again = error != null && Objects.equals(commit, errorCommit);
        int count = again ? failures + 1 : 1;
        Instant since = again && errorSince != null ? errorSince : now;
        return new RepoStatus(null, message, commit, isPermanent, since, generation, count,
                isPermanent ? null : now.plus(delay(count, backoffMax)));
    }

    /** Whether the agent gave up on {@code commit} and the operator has not asked for a retry since. */
    boolean gaveUpOn(String commit, long generation) {
        return permanent && commit != null && commit.equals(errorCommit) && generation <= retry;
    }

    /** Whether a transient failure of {@code commit} is still in its backoff at {@code now}. */
    boolean backingOff(String commit, Instant now) {
        return !permanent && commit != null && commit.equals(errorCommit) && retryAt != null && now.isBefore(retryAt);
    }

    /** When a transient failure of a commit is due to be tried again, if one is waiting. */
    Instant nextAttempt() {
        return error != null && !permanent && errorCommit != null ? retryAt : null;
    }

    static Duration delay(int failures, Duration max) {
        long step = Math.min(max.toMillis(), FIRST.toMillis() << Math.min(Math.max(failures - 1, 0), 20));
        return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
    }
}

package org.lockstep.manifest.rollout.machine;

import java.time.Instant;
import java.util.Objects;

/**
 * What one host last reported for one repository, as read from its disk, with the ordering key of that report.
 *
 * @param current     commit {@code current} points at, or {@code null}
 * @param next        commit {@code next} points at (prepared), or {@code null}
 * @param preparing   commit being prepared now, or {@code null}
 * @param error       last error in words, or {@code null}
 * @param errorCommit commit the error concerns, or {@code null}
 * @param switchedAt  when {@code current} last changed (host clock), or {@code null}
 * @param sentAt      when the host made the report (host clock); for display only, never for ordering
 * @param permanent   whether the host said {@code error} will not go away by retrying (it then waits for an
 *                    operator's retry)
 * @param errorSince  when the host first had this error (host clock), or {@code null}
 * @param retry       the operator retry generation of {@code errorCommit} at which the error happened
 * @param session     the reporting agent process's session, or {@code null} for an agent that sends none
 * @param sequence    the report's number within {@code session}
 */
public record HostStatus(String current, String next, String preparing, String error, String errorCommit,
                         Instant switchedAt, Instant sentAt, boolean permanent, Instant errorSince, long retry,
                         String session, long sequence) {

    /** A status without the error's permanence (transient, since unknown) and without ordering key. */
    public HostStatus(String current, String next, String preparing, String error, String errorCommit,
                      Instant switchedAt, Instant sentAt) {
        this(current, next, preparing, error, errorCommit, switchedAt, sentAt, false, null, 0, null, 0);
    }

    /** A status from a report without ordering key (an agent older than sessions, or a test). */
    public HostStatus(String current, String next, String preparing, String error, String errorCommit,
                      Instant switchedAt, Instant sentAt, boolean permanent, Instant errorSince, long retry) {
        this(current, next, preparing, error, errorCommit, switchedAt, sentAt, permanent, errorSince, retry, null, 0);
    }

    /** Whether the host has {@code commit} fully on disk, verified and linked. */
    public boolean hasPrepared(String commit) {
        return commit != null && (commit.equals(next) || commit.equals(current));
    }

    /** Whether the host serves {@code commit}. */
    public boolean serves(String commit) {
        return commit != null && commit.equals(current);
    }

    /**
     * Whether the host's error is permanent for a rollout at retry generation {@code generation}: an error from
     * before the operator's latest retry no longer is, the host is trying again.
     */
    public boolean permanentAt(long generation) {
        return permanent && retry >= generation;
    }

    /** Whether the host reports an error that concerns {@code commit} (or no commit in particular). */
    public boolean hasErrorFor(String commit) {
        return error != null && (errorCommit == null || errorCommit.equals(commit));
    }

    /**
     * Whether this report is stale next to {@code accepted}, the last one recorded: from the same agent session and
     * not numbered above it (a retried request arriving late). A report of another session (a restarted agent), or
     * without a session, is never stale: sessions have no order, and an old agent's reports come in arrival order.
     */
    public boolean isStaleNextTo(HostStatus accepted) {
        return accepted != null && session != null && session.equals(accepted.session)
                && sequence <= accepted.sequence;
    }

    /** Same disk state and error as {@code other}, whenever and in whichever report each was sent. */
    boolean sameContentAs(HostStatus other) {
        return other != null && Objects.equals(current, other.current) && Objects.equals(next, other.next)
                && Objects.equals(preparing, other.preparing) && Objects.equals(error, other.error)
                && Objects.equals(errorCommit, other.errorCommit) && Objects.equals(switchedAt, other.switchedAt)
                && permanent == other.permanent && Objects.equals(errorSince, other.errorSince)
                && retry == other.retry;
    }
}

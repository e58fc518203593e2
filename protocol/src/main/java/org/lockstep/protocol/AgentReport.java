package org.lockstep.protocol;

import java.time.Instant;
import java.util.List;

/**
 * What one agent has on disk, sent on every change and as a heartbeat. The host is in the URL, never in the body,
 * so a token for host A can only ever speak for host A.
 * <p>
 * The manifest orders one host's reports by {@code session} and {@code sequence}, never by a clock: within a session
 * a report whose sequence is not above the last one accepted is stale (a retried request arriving late) and dropped
 * whole; a report of a new session (a restarted agent) is accepted. A report without a session (an agent older than
 * these fields) is taken in arrival order. The agent sends one report unchanged (same sequence) to its next manifest
 * URL when one fails: the same sequence is the same report, dropped as stale by whoever already has it.
 *
 * @param sentAt   the agent's clock when the report was made; shown to operators, never used for ordering
 * @param storeId  the store id of the desired state the agent last acted on, or {@code null}
 * @param revision the highest revision the agent acted on, or 0
 * @param repos    one entry per repository the agent serves
 * @param session  a random id the agent makes when its process starts, or {@code null} (an older agent)
 * @param sequence 1, 2, 3, ... per report within {@code session}
 */
public record AgentReport(Instant sentAt, String storeId, long revision, List<RepoReport> repos, String session,
                          long sequence) {

    public AgentReport {
        repos = repos == null ? List.of() : List.copyOf(repos);
    }

    /** A report without ordering key, as agents before {@code session} and {@code sequence} send it. */
    public AgentReport(Instant sentAt, String storeId, long revision, List<RepoReport> repos) {
        this(sentAt, storeId, revision, repos, null, 0);
    }

    /**
     * The state of one repository on the host, read from disk.
     *
     * @param repo        the repository name
     * @param current     the commit {@code current} points at, or {@code null}
     * @param next        the commit {@code next} points at (prepared: fully on disk, verified), or {@code null}
     * @param preparing   the commit being fetched or materialized right now, or {@code null}
     * @param error       the last error in words (fetch, materialize, verify), or {@code null}
     * @param errorCommit the commit the error concerns, or {@code null}
     * @param switchedAt  when {@code current} last changed, or {@code null}
     * @param permanent   whether {@code error} will not go away by retrying (a failing verify command, an unsafe
     *                    symlink, a commit the host's remote does not have): the agent does not retry it until an
     *                    operator asks ({@code RepoDesired.retry}); {@code null} from agents that do not say
     * @param errorSince  when this error (for {@code errorCommit}) first happened, on the host's clock, or {@code null}
     * @param retry       the operator retry generation ({@code RepoDesired.retry}) of {@code errorCommit} at which the
     *                    error happened, so a permanent error from before an operator's retry is not mistaken for
     *                    one after it
     */
    public record RepoReport(String repo, String current, String next, String preparing, String error,
                             String errorCommit, Instant switchedAt, Boolean permanent, Instant errorSince,
                             long retry) {

        /** A report that says nothing about the error's permanence (as agents before round 2 sent it). */
        public RepoReport(String repo, String current, String next, String preparing, String error,
                          String errorCommit, Instant switchedAt) {
            this(repo, current, next, preparing, error, errorCommit, switchedAt, null, null, 0);
        }

        /** Whether the agent said the error is permanent. */
        public boolean isPermanent() {
            return Boolean.TRUE.equals(permanent);
        }
    }
}

package org.lockstep.protocol;

import java.time.Instant;
import java.util.List;

/**
 * What one agent has on disk, sent on every change and as a heartbeat. The host is in the URL, never in the body,
 * so a token for host A can only ever speak for host A.
 *
 * @param sentAt   the agent's clock when the report was made; the manifest ignores a report older than one it
 *                 already accepted from the same host (a retried request arriving late)
 * @param storeId  the store id of the desired state the agent last acted on, or {@code null}
 * @param revision the highest revision the agent acted on, or 0
 * @param repos    one entry per repository the agent serves
 */
public record AgentReport(Instant sentAt, String storeId, long revision, List<RepoReport> repos) {

    public AgentReport {
        repos = repos == null ? List.of() : List.copyOf(repos);
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
     */
    public record RepoReport(String repo, String current, String next, String preparing, String error,
                             String errorCommit, Instant switchedAt) {
    }
}

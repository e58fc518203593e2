package org.lockstep.manifest.api;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One repository as {@code GET /api/v1/repos/{repo}} shows it.
 *
 * @param active         the commit every host must serve, or null
 * @param target         the commit being prepared, or null
 * @param rollout        the pending rollout, else the one that made {@code active} active, or null
 * @param hosts          each expected host's last report
 * @param recentRollouts the newest rollouts, newest first (the full history is paged under /rollouts)
 */
public record RepoStatus(String name, String url, String branch, String active, String target, boolean paused,
                         long revision, Set<String> expectedHosts, RolloutView rollout, List<HostView> hosts,
                         List<RolloutView> recentRollouts) {

    /**
     * @param permanent    whether the host said {@code error} will not go away by retrying
     * @param errorSince   when the host first had {@code error} (host clock), or null
     * @param lastReportAt when the host made its last report that changed something (host clock)
     * @param lastSeen     when the manifest last heard from the host (report or poll), or null since start
     * @param lagging      whether the host does not serve the active commit
     */
    public record HostView(String host, String current, String next, String preparing, String error,
                           String errorCommit, boolean permanent, Instant errorSince, Instant switchedAt,
                           Instant lastReportAt, Instant lastSeen, boolean lagging) {
    }
}

package org.lockstep.manifest.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.lockstep.manifest.rollout.machine.HostEntry;

/**
 * One repository as {@code GET /api/v1/repos/{repo}} shows it: the same size with 4 hosts or 10,000. Counts, and the
 * hosts that need a look; every host, paged and filterable by state, is under {@code GET .../hosts}.
 *
 * @param active         the commit every host must serve, or null
 * @param target         the commit being prepared, or null
 * @param hostCount      the expected hosts
 * @param serving        expected hosts whose latest report serves the active commit
 * @param hostsByState   state (lower case) -> expected hosts in it, each counted once, in the first state that
 *                       applies (unseen, failing, lagging, preparing, prepared, serving)
 * @param attention      the first {@value StatusViews#ATTENTION} hosts that need a look (failing, then lagging, then
 *                       unseen; by name within each)
 * @param attentionCount how many hosts need a look in all
 * @param rollout        the pending rollout, else the one that made {@code active} active, or null
 * @param recentRollouts the newest rollouts, newest first (the full history is paged under /rollouts)
 * @param expectedHosts  the expected hosts by name, while there are at most {@value StatusViews#INLINE_HOSTS}; else
 *                       null (the hosts are paged under /hosts)
 * @param hosts          every expected host's view, by name, while there are at most
 *                       {@value StatusViews#INLINE_HOSTS}; else null: a small fleet reads as it always did, a large
 *                       one stays bounded
 */
public record RepoStatus(String name, String url, String branch, String active, String target, boolean paused,
                         long revision, int hostCount, int serving, Map<String, Integer> hostsByState,
                         List<HostView> attention, int attentionCount, RolloutView rollout,
                         List<RolloutView> recentRollouts, List<String> expectedHosts, List<HostView> hosts) {

    /**
     * One expected host's latest report for a repository, as {@code GET .../hosts} pages it.
     *
     * @param state        the first state that applies (see {@link RepoStatus#hostsByState})
     * @param states       every state that applies
     * @param permanent    whether the host said {@code error} will not go away by retrying
     * @param errorSince   when the host first had {@code error} (host clock), or null
     * @param lastReportAt when the host made its last report that changed something (host clock), or null
     * @param lastSeen     when this manifest instance last heard from the host (report or poll), or null since start
     * @param lagging      whether the host does not serve the active commit
     * @param prepared     the pending rollout the manifest saw the host prepare, and when (or an earlier one), or null
     * @param switched     the activated rollout the host was seen switching to, and when (its clock), or null
     */
    public record HostView(String host, String state, List<String> states, String current, String next,
                           String preparing, String error, String errorCommit, boolean permanent,
                           Instant errorSince, Instant switchedAt, Instant lastReportAt, Instant lastSeen,
                           boolean lagging, HostEntry.Mark prepared, HostEntry.Mark switched) {
    }
}

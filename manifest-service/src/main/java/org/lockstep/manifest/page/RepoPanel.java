package org.lockstep.manifest.page;

import java.util.List;

import org.lockstep.manifest.page.Times.TimeText;

/**
 * One repository as the operator page shows it: everything pre-digested into words, so the template only lays it
 * out.
 *
 * @param badge        the repository's state at a glance
 * @param summary      one sentence under the badge
 * @param active       the commit every host must serve, or null
 * @param target       the commit being prepared, or null
 * @param progress     the current rollout's progress, or null when none runs
 * @param hostCounts   "2000 hosts: 1990 serving, 10 lagging"
 * @param everyHost    whether {@code hosts} lists every expected host (a small fleet) or only those that need a look
 * @param hostCount    the expected hosts
 * @param attention    how many hosts need a look
 * @param hosts        one row per host listed
 * @param rollouts     the newest rollouts, newest first
 * @param rollbackTo   earlier commits that were active once, newest first: what an operator may roll back to
 * @param pendingId    id of the rollout being prepared (what cancel withdraws), or null
 */
record RepoPanel(String name, String branch, Badge badge, String summary, boolean paused, CommitText active,
                 CommitText target, Progress progress, String hostCounts, boolean everyHost, int hostCount,
                 int attention, List<HostRow> hosts, List<RolloutRow> rollouts,
                 List<CommitText> rollbackTo, Long pendingId) {

    /** The kinds of state, each with its own colour; the symbol and label carry the meaning without colour. */
    enum Kind {
        ok, busy, warn, bad, idle
    }

    record Badge(Kind kind, String symbol, String label) {

        static Badge ok(String label) {
            return new Badge(Kind.ok, "\u2713", label);
        }

        static Badge busy(String label) {
            return new Badge(Kind.busy, "\u2026", label);
        }

        static Badge warn(String label) {
            return new Badge(Kind.warn, "\u26a0", label);
        }

        static Badge paused(String label) {
            return new Badge(Kind.warn, "\u2016", label);
        }

        static Badge bad(String label) {
            return new Badge(Kind.bad, "\u2717", label);
        }

        static Badge idle(String label) {
            return new Badge(Kind.idle, "\u25cb", label);
        }
    }

    /**
     * A commit as a person recognizes it.
     *
     * @param subject null when the manifest's mirror does not have the commit
     * @param url     link to the commit in the repository's web UI, or null when no template is configured
     */
    record CommitText(String id, String shortId, String subject, String author, TimeText time, String url) {
    }

    /**
     * The running rollout.
     *
     * @param text       "3 of 4 hosts ready"
     * @param waitingFor the first hosts the rollout waits for, by name
     * @param waitingMore how many more it waits for
     * @param waiting    since when it waits for them, or null when it waits for nobody
     * @param waited     how long, in words
     * @param deadline   the rollout's prepare deadline, or null when the repository has none
     * @param overdue    still preparing after its deadline
     * @param waitsFor   the other repositories' commits it waits for ({@code activate-after}), each as
     *                   "primary 1a2b3c4 on 2 of 4 hosts"; empty when none
     */
    record Progress(long rolloutId, String state, String text, int done, int expected, List<String> waitingFor,
                    int waitingMore, TimeText waiting, String waited, TimeText deadline, boolean overdue,
                    List<String> waitsFor) {

        /** "web-3, web-4" or "host0001, host0002, ... and 1980 more". */
        String waitingText() {
            return RepoPanels.names(waitingFor, waitingFor.size() + waitingMore);
        }
    }

    /**
     * @param current   what the host serves
     * @param next      what it has prepared
     * @param preparing what it is preparing right now, short id, or null
     * @param error     its last error in words, or null
     * @param permanent the host will not retry the error on its own (an operator's retry or a new commit is needed)
     */
    record HostRow(String name, Badge badge, CommitText current, CommitText next, String preparing,
                   TimeText lastSeen, boolean lagging, String error, String errorCommit, boolean permanent) {
    }

    /**
     * @param createdBy  token name (a person, a CI job) or hook that set the target
     * @param prepare    creation to activation, in words, or null
     * @param activated  when it became active, or null
     * @param completed  when every host served it, or null
     * @param skew         first to last host switching, in milliseconds ("312 ms"), or null
     * @param skewMeasured where that was measured: by which hosts' clocks ("by the hosts' clocks: web-1 first,
     *                     web-4 last"), or null
     * @param note         the last operator action on it ("cancelled by alice: bad schema"), or null
     */
    record RolloutRow(long id, CommitText commit, boolean rollback, String createdBy, String reason,
                      TimeText created, String prepare, TimeText activated, TimeText completed, String skew,
                      String skewMeasured, Badge outcome, String note) {
    }
}

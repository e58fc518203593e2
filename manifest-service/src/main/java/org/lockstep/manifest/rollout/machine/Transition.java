package org.lockstep.manifest.rollout.machine;

import java.util.List;
import java.util.Set;

/**
 * The outcome of one command: what the store must write, and nothing more.
 *
 * @param state          the repository's new summary (equal to the old one when it did not change)
 * @param changed        whether anything must be written
 * @param summaryChanged whether the summary itself must be written (a report that changes only its host's entry
 *                       leaves it alone)
 * @param desiredChanged whether what agents must do changed (active, target or expected hosts): bumps the revision
 * @param rollouts       rollouts created or changed, to record in the history
 * @param result         the rollout the command concerned (for a target: the new or the existing one), or null
 * @param hosts          the host entries to write, the expected hosts and the entries to remove
 */
public record Transition(RepoState state, boolean changed, boolean summaryChanged, boolean desiredChanged,
                         List<Rollout> rollouts, Rollout result, HostChanges hosts) {

    public Transition {
        rollouts = List.copyOf(rollouts);
        hosts = hosts == null ? HostChanges.NONE : hosts;
    }

    public static Transition unchanged(RepoState state, Rollout result) {
        return new Transition(state, false, false, false, List.of(), result, HostChanges.NONE);
    }

    /** The same outcome with the summary as the store wrote it (version, revision). */
    public Transition stored(RepoState written) {
        return new Transition(written, changed, summaryChanged, desiredChanged, rollouts, result, hosts);
    }

    /**
     * What one command changed about hosts.
     *
     * @param written       entries to write (one for a report)
     * @param expectedHosts the new expected hosts, or null when unchanged
     * @param dropFirst     entries to remove of hosts that become expected (left from before they were removed
     *                      once): nobody reads them until the expected hosts change, so they may go before it
     * @param dropAfter     entries to remove of hosts no longer expected: ignored once the expected hosts changed,
     *                      so they may go after it
     */
    public record HostChanges(List<HostEntry> written, Set<String> expectedHosts, Set<String> dropFirst,
                              Set<String> dropAfter) {

        public static final HostChanges NONE = new HostChanges(List.of(), null, Set.of(), Set.of());

        public HostChanges {
            written = List.copyOf(written);
            expectedHosts = expectedHosts == null ? null : Set.copyOf(expectedHosts);
            dropFirst = Set.copyOf(dropFirst);
            dropAfter = Set.copyOf(dropAfter);
        }

        public boolean isEmpty() {
            return written.isEmpty() && expectedHosts == null && dropFirst.isEmpty() && dropAfter.isEmpty();
        }
    }
}

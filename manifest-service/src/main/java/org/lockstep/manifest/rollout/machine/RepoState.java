package org.lockstep.manifest.rollout.machine;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the manifest knows about one repository's deployment, as one durable value.
 *
 * @param name          repository name
 * @param version       grows with every write of this value (optimistic concurrency in the store)
 * @param revision      the store revision at which this repository's desired state last changed
 * @param active        the commit every host must serve, or {@code null} before the first activation
 * @param current       the rollout that made {@code active} active (ACTIVATING or COMPLETE), or {@code null}
 * @param pending       the rollout being prepared, or {@code null}
 * @param paused        whether activation is held back by an operator
 * @param expectedHosts the hosts that must serve the repository
 * @param hosts         host -> what it last reported (only expected hosts)
 */
public record RepoState(String name, long version, long revision, String active, Rollout current, Rollout pending,
                        boolean paused, Set<String> expectedHosts, Map<String, HostStatus> hosts) {

    public RepoState {
        expectedHosts = Collections.unmodifiableSortedSet(new TreeSet<>(expectedHosts));
        hosts = Collections.unmodifiableSortedMap(new TreeMap<>(hosts));
    }

    /** A repository nobody has deployed yet. */
    public static RepoState empty(String name, Set<String> expectedHosts) {
        return new RepoState(name, 0, 0, null, null, null, false, expectedHosts, Map.of());
    }

    /** The commit hosts should prepare now: the pending rollout's, if any. */
    public Optional<String> target() {
        return Optional.ofNullable(pending).map(Rollout::commit);
    }

    /** The rollout an operator most wants to see: the pending one, else the one that made the active commit. */
    public Optional<Rollout> latestRollout() {
        return Optional.ofNullable(pending != null ? pending : current);
    }

    /**
     * The expected hosts {@code rollout} still waits for, sorted: those that have not prepared it while it is
     * PREPARING, or not switched to it while it is ACTIVATING; nobody once it is over.
     */
    public List<String> waitingFor(Rollout rollout) {
        return expectedHosts.stream().filter(h -> switch (rollout.state()) {
            case PREPARING -> !rollout.prepared().containsKey(h);
            case ACTIVATING -> !rollout.switched().containsKey(h);
            default -> false;
        }).toList();
    }

    /**
     * Of the hosts {@code rollout} waits for, those whose latest report holds it back with an error that concerns
     * its commit (or no commit in particular): the rollout view's {@code blockedBy}.
     */
    public List<String> blockedBy(Rollout rollout) {
        return waitingFor(rollout).stream().filter(hosts::containsKey)
                .filter(h -> hosts.get(h).hasErrorFor(rollout.commit())).toList();
    }

    RepoState with(String active, Rollout current, Rollout pending, boolean paused, Set<String> expectedHosts,
                   Map<String, HostStatus> hosts) {
        return new RepoState(name, version, revision, active, current, pending, paused, expectedHosts, hosts);
    }

    /** The value the store writes: version and (when the desired state changed) revision advanced. */
    public RepoState written(long newRevision, boolean desiredChanged) {
        return new RepoState(name, version + 1, desiredChanged ? newRevision : revision, active, current, pending,
                paused, expectedHosts, hosts);
    }
}

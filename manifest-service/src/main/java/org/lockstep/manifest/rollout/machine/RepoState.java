package org.lockstep.manifest.rollout.machine;

import java.util.Optional;

/**
 * The summary of one repository's deployment, as one durable value of constant size: what is active and pending,
 * and the counts activation is decided on. The hosts' own statuses are {@link HostEntry}s apart from it, and the
 * expected hosts a set of their own, so a report writes this value only when a count or a rollout moves, and never
 * rewrites what every other host reported.
 *
 * @param name     repository name
 * @param version  grows with every write of this value (optimistic concurrency in the store)
 * @param revision the store revision at which this repository's desired state last changed
 * @param active   the commit every host must serve, or {@code null} before the first activation
 * @param current  the rollout that made {@code active} active (ACTIVATING or COMPLETE), or {@code null}
 * @param pending  the rollout being prepared, or {@code null}
 * @param paused   whether activation is held back by an operator
 * @param tally    how many expected hosts' latest reports have each commit prepared and serve it
 */
public record RepoState(String name, long version, long revision, String active, Rollout current, Rollout pending,
                        boolean paused, HostTally tally) {

    public RepoState {
        tally = tally == null ? HostTally.NONE : tally;
    }

    /** A repository nobody has deployed yet. */
    public static RepoState empty(String name) {
        return new RepoState(name, 0, 0, null, null, null, false, HostTally.NONE);
    }

    /** The commit hosts should prepare now: the pending rollout's, if any. */
    public Optional<String> target() {
        return Optional.ofNullable(pending).map(Rollout::commit);
    }

    /** The rollout an operator most wants to see: the pending one, else the one that made the active commit. */
    public Optional<Rollout> latestRollout() {
        return Optional.ofNullable(pending != null ? pending : current);
    }

    RepoState with(String active, Rollout current, Rollout pending, boolean paused, HostTally tally) {
        return new RepoState(name, version, revision, active, current, pending, paused, tally);
    }

    /** The value the store writes: version and (when the desired state changed) revision advanced. */
    public RepoState written(long newRevision, boolean desiredChanged) {
        return new RepoState(name, version + 1, desiredChanged ? newRevision : revision, active, current, pending,
                paused, tally);
    }
}

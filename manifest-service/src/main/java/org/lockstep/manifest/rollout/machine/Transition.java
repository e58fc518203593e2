package org.lockstep.manifest.rollout.machine;

import java.util.List;

/**
 * The outcome of one command.
 *
 * @param state          the repository's new state (equal to the old one when nothing changed)
 * @param changed        whether anything must be written
 * @param desiredChanged whether what agents must do changed (active, target or expected hosts): bumps the revision
 * @param rollouts       rollouts created or changed, to record in the history
 * @param result         the rollout the command concerned (for a target: the new or the existing one), or null
 */
public record Transition(RepoState state, boolean changed, boolean desiredChanged, List<Rollout> rollouts,
                         Rollout result) {

    public Transition {
        rollouts = List.copyOf(rollouts);
    }

    static Transition unchanged(RepoState state, Rollout result) {
        return new Transition(state, false, false, List.of(), result);
    }
}

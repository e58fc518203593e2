package org.lockstep.manifest.hooks;

import java.util.Optional;

import org.lockstep.manifest.git.GitMirrors;
import org.lockstep.manifest.rollout.RolloutService;
import org.lockstep.manifest.rollout.machine.Command.Ancestry;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.RolloutRejected;
import org.lockstep.manifest.store.StoreUnavailable;
import org.lockstep.protocol.CommitId;
import org.springframework.stereotype.Component;

/**
 * The one rule of every target that no person sets (a webhook, the branch watcher): it may move the fleet forward to
 * a commit nobody has decided about yet, and never undo what an operator decided. So a commit that already had a
 * rollout is never targeted again: after an operator rolled back from it or cancelled it, a redelivered or replayed
 * event (GitLab re-sends on a timeout, with the same {@code X-Gitlab-Event-UUID}; an operator may press "resend")
 * changes nothing. Neither does an event older than what is pending or active (delivered late or out of order).
 * Only a new commit on the branch moves the fleet.
 */
@Component
class AutomaticTargets {

    /** How far back the history is searched; older commits are behind the active one in practice. */
    static final int HISTORY = 100;

    /** Offers decided again when the state moved under them, before giving up (503: the sender retries later). */
    static final int ATTEMPTS = 5;

    private final RolloutService rollouts;

    private final GitMirrors mirrors;

    AutomaticTargets(RolloutService rollouts, GitMirrors mirrors) {
        this.rollouts = rollouts;
        this.mirrors = mirrors;
    }

    /** What became of an offered commit. */
    enum Outcome {
        /** A new target: a rollout was created. */
        TARGETED,
        /** The commit is the pending target already: nothing changed (the same event twice). */
        PENDING,
        /** The commit is not acted on; {@link Offer#why()} says why. Nothing changed. */
        IGNORED
    }

    /**
     * @param rollout the rollout created or already pending, or the earlier rollout that rules the commit out
     * @param why     for {@link Outcome#IGNORED}: the reason in words
     */
    record Offer(Outcome outcome, Rollout rollout, String why) {
    }

    /**
     * Offers {@code commit} as the target of {@code repo}; creates a rollout only when the rule allows it. The rule is
     * decided on the state and then the history, and the target is written only if the repository's desired state
     * has not moved since (one store update checks that), so an operator's rollback or cancel made meanwhile, or the
     * same event handled at the same time, is seen: the offer is decided again.
     */
    Offer offer(String repo, String commit, String actor, String reason) {
        CommitId.of(commit);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            RepoState state = rollouts.state(repo);
            Offer decided = decide(repo, commit, state);
            if (decided != null) {
                return decided;
            }
            try {
                Optional<Rollout> created = rollouts.setTargetUnlessMoved(repo, commit, reason, actor,
                        state.revision());
                if (created.isPresent()) {
                    return new Offer(Outcome.TARGETED, created.get(), null);
                }
            }
            catch (RolloutRejected ex) {
                if (ex.kind() != RolloutRejected.Kind.NOT_FORWARD) {
                    throw ex;
                }
                return new Offer(Outcome.IGNORED, state.current(), "commit " + commit + " is behind the active commit "
                        + state.active() + ": a late event (going back needs an operator's rollback)");
            }
        }
        throw new StoreUnavailable("repository " + repo + " kept changing while commit " + commit + " was offered "
                + ATTEMPTS + " times; nothing was targeted", null);
    }

    /** The offer's answer when the rule rules {@code commit} out or it is pending already; {@code null}: target it. */
    private Offer decide(String repo, String commit, RepoState state) {
        if (state.pending() != null && state.pending().commit().equals(commit)) {
            return new Offer(Outcome.PENDING, state.pending(), null);
        }
        if (commit.equals(state.active())) {
            return new Offer(Outcome.IGNORED, state.current(), "commit " + commit + " is already active");
        }
        // Read after the state: a rollout written in between moved the revision the target is written against.
        Optional<Rollout> earlier = rollouts.rollouts(repo, 0, HISTORY).stream()
                .filter(r -> r.commit().equals(commit)).findFirst();
        if (earlier.isPresent()) {
            Rollout before = earlier.get();
            return new Offer(Outcome.IGNORED, before, "commit " + commit + " already had rollout " + before.id()
                    + " (" + before.state() + ", last changed by " + before.events().get(before.events().size() - 1)
                    .actor() + "); an automatic trigger never targets a commit again, so an operator's rollback or"
                    + " cancel stands");
        }
        if (state.pending() != null
                && mirrors.mirror(repo).ancestry(state.pending().commit(), commit) == Ancestry.DESCENDANT) {
            return new Offer(Outcome.IGNORED, state.pending(), "commit " + commit + " is behind the pending target "
                    + state.pending().commit() + " (rollout " + state.pending().id() + "): a late event");
        }
        return null;
    }
}

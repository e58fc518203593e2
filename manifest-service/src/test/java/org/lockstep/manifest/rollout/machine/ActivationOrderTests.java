package org.lockstep.manifest.rollout.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstep.manifest.rollout.machine.RepoDriver.commit;
import static org.lockstep.manifest.rollout.machine.RolloutAction.ACTIVATING;
import static org.lockstep.manifest.rollout.machine.RolloutAction.CANCELLED;
import static org.lockstep.manifest.rollout.machine.RolloutAction.CREATED;
import static org.lockstep.manifest.rollout.machine.RolloutAction.PAUSED;
import static org.lockstep.manifest.rollout.machine.RolloutAction.REQUIREMENT_MET;
import static org.lockstep.manifest.rollout.machine.RolloutAction.RESUMED;
import static org.lockstep.manifest.rollout.machine.RolloutAction.SUPERSEDED;
import static org.lockstep.manifest.rollout.machine.RolloutAction.WAITING;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lockstep.manifest.rollout.machine.Command.MeetRequirement;
import org.lockstep.manifest.rollout.machine.Command.SetTarget;

/**
 * Issue 13's ordering rule ({@code activate-after}) on the machine: {@code secondary}'s rollout records what it
 * requires of {@code primary} when its target is set, and does not activate, however ready its own hosts are, until
 * every host of {@code primary} serves that commit or a later one. Commits are positions on each repository's line.
 */
class ActivationOrderTests {

    private static final String P1 = commit(1);

    private static final String P2 = commit(2);

    private static final String P3 = commit(3);

    private static final String S1 = commit(11);

    private static final String S2 = commit(12);

    private final OrderedRepos repos = new OrderedRepos("a", "b");

    /** {@code primary} with {@code P1} active and served by both hosts. */
    private void primaryOnP1() {
        repos.primary.target(P1);
        repos.primary.prepared("a", P1);
        repos.primary.prepared("b", P1);
        repos.primaryServedEverywhere(P1);
        assertThat(repos.primary.state.current().state()).isEqualTo(RolloutState.COMPLETE);
    }

    private void secondaryPreparedEverywhere(String commit) {
        repos.secondaryPrepared("a", commit);
        repos.secondaryPrepared("b", commit);
    }

    private static List<RolloutAction> actions(Rollout rollout) {
        return rollout.events().stream().map(RolloutEvent::action).toList();
    }

    // --- targets in either order -----------------------------------------------------------------------------------

    @Test
    void secondaryTargetedAfterPrimaryWaitsUntilEveryHostServesPrimarysTarget() {
        primaryOnP1();
        repos.primary.target(P2);
        Rollout created = repos.targetSecondary(S1).result();
        assertThat(created.requires()).containsExactly(Requirement.unmet("primary", P2));

        secondaryPreparedEverywhere(S1);
        Rollout waiting = repos.secondary.state.pending();
        assertThat(waiting.state()).isEqualTo(RolloutState.PREPARING);
        assertThat(repos.secondary.state.active()).isNull();
        assertThat(actions(waiting)).containsExactly(CREATED, WAITING);
        assertThat(waiting.events().get(1).reason()).isEqualTo("every expected host has it prepared; activation"
                + " waits for primary " + P2 + " (activate-after)");

        // More reports of its ready hosts record nothing more and activate nothing.
        assertThat(repos.secondaryPrepared("a", S1).summaryChanged()).isFalse();
        repos.primaryPrepared("a", P2);
        repos.primaryPrepared("b", P2);
        assertThat(repos.primary.state.active()).isEqualTo(P2);
        repos.primaryServes("a", P2);
        assertThat(repos.secondary.state.pending().unmetRequirements()).hasSize(1);
        assertThat(repos.secondary.state.active()).isNull();

        repos.primaryServes("b", P2);
        Rollout activated = repos.secondary.state.current();
        assertThat(repos.secondary.state.active()).isEqualTo(S1);
        assertThat(repos.secondary.state.pending()).isNull();
        assertThat(activated.id()).isEqualTo(created.id());
        assertThat(actions(activated)).containsExactly(CREATED, WAITING, REQUIREMENT_MET, ACTIVATING);
        assertThat(activated.events().get(2).reason())
                .isEqualTo("primary " + P2 + " is served by every expected host of primary (2 of 2)");
        assertThat(activated.requires()).singleElement().satisfies(r -> assertThat(r.satisfied()).isTrue());
    }

    @Test
    void secondaryTargetedBeforePrimarysTargetIsNotHeldByIt() {
        primaryOnP1();
        Rollout created = repos.targetSecondary(S1).result();
        // primary's active commit, already served everywhere: met as the rollout is created.
        assertThat(created.requires()).singleElement().satisfies(r -> {
            assertThat(r.commit()).isEqualTo(P1);
            assertThat(r.satisfied()).isTrue();
        });
        assertThat(actions(created)).containsExactly(CREATED, REQUIREMENT_MET);
        assertThat(created.events().get(1).reason())
                .isEqualTo("primary " + P1 + " is served by every expected host of primary already");

        repos.primary.target(P2);
        repos.primaryPrepared("a", P2);
        secondaryPreparedEverywhere(S1);
        assertThat(repos.secondary.state.active()).isEqualTo(S1);
        assertThat(repos.primary.state.active()).isEqualTo(P1);
    }

    @Test
    void beforeAnyPrimaryTargetThereIsNothingToWaitFor() {
        Rollout created = repos.targetSecondary(S1).result();
        assertThat(created.requires()).isEmpty();
        secondaryPreparedEverywhere(S1);
        assertThat(repos.secondary.state.active()).isEqualTo(S1);
        assertThat(actions(repos.secondary.state.current())).containsExactly(CREATED, ACTIVATING);
    }

    @Test
    void primarysActiveCommitNotYetServedEverywhereIsWaitedFor() {
        repos.primary.target(P1);
        repos.primary.prepared("a", P1);
        repos.primary.prepared("b", P1);
        repos.primaryServes("a", P1);
        assertThat(repos.primary.state.target()).isEmpty();

        repos.targetSecondary(S1);
        secondaryPreparedEverywhere(S1);
        assertThat(repos.secondary.state.pending().unmetRequirements())
                .containsExactly(Requirement.unmet("primary", P1));

        repos.primaryServes("b", P1);
        assertThat(repos.secondary.state.active()).isEqualTo(S1);
    }

    @Test
    void aLaterPrimaryCommitMeetsTheRequirementOfAnEarlierOne() {
        primaryOnP1();
        repos.primary.target(P2);
        repos.targetSecondary(S1);
        secondaryPreparedEverywhere(S1);
        // P2 never goes live: P3, which contains it, supersedes it.
        repos.primary.target(P3);
        repos.primaryRolledOut(P3);
        assertThat(repos.secondary.state.active()).isEqualTo(S1);
    }

    // --- supersede, rollback, cancel, pause ------------------------------------------------------------------------

    @Test
    void aNewSecondaryTargetSupersedesTheWaitingRolloutAndRecordsTheRequirementAnew() {
        primaryOnP1();
        repos.primary.target(P2);
        Rollout first = repos.targetSecondary(S1).result();
        repos.primary.target(P3);
        Transition second = repos.targetSecondary(S2);

        assertThat(second.rollouts()).filteredOn(r -> r.id() == first.id()).singleElement()
                .satisfies(r -> assertThat(actions(r)).endsWith(SUPERSEDED));
        assertThat(second.result().requires()).containsExactly(Requirement.unmet("primary", P3));

        // P2 served everywhere is not enough for the new rollout.
        repos.primaryPrepared("a", P2);
        secondaryPreparedEverywhere(S2);
        assertThat(repos.secondary.state.active()).isNull();
        repos.primaryRolledOut(P3);
        assertThat(repos.secondary.state.active()).isEqualTo(S2);
    }

    @Test
    void aRollbackOfPrimaryToAnAncestorDoesNotMeetTheRequirement() {
        primaryOnP1();
        repos.primary.target(P2);
        repos.targetSecondary(S1);
        secondaryPreparedEverywhere(S1);
        repos.primaryPrepared("a", P2);
        repos.primaryPrepared("b", P2);
        repos.primaryServes("a", P2);

        // Half switched, primary is rolled back to P1, which every host serves again.
        repos.primary.rollback(P1);
        repos.primaryServedEverywhere(P1);
        assertThat(repos.primary.state.active()).isEqualTo(P1);
        assertThat(repos.primary.state.current().state()).isEqualTo(RolloutState.COMPLETE);

        Rollout waiting = repos.secondary.state.pending();
        assertThat(waiting.state()).isEqualTo(RolloutState.PREPARING);
        assertThat(waiting.unmetRequirements()).containsExactly(Requirement.unmet("primary", P2));
        assertThat(repos.serving(waiting.unmetRequirements().get(0))).isZero();
        assertThat(repos.secondary.state.active()).isNull();

        // Forward again, past P2: met.
        repos.primary.target(P3);
        repos.primaryRolledOut(P3);
        assertThat(repos.secondary.state.active()).isEqualTo(S1);
    }

    @Test
    void aMetRequirementStaysMetWhenPrimaryGoesBackAfterwards() {
        primaryOnP1();
        repos.primary.target(P2);
        repos.targetSecondary(S1);
        repos.primaryRolledOut(P2);
        assertThat(repos.secondary.state.pending().unmetRequirements()).isEmpty();

        repos.primary.rollback(P1);
        repos.primaryServedEverywhere(P1);
        secondaryPreparedEverywhere(S1);
        assertThat(repos.secondary.state.active()).isEqualTo(S1);
        assertThat(actions(repos.secondary.state.current())).containsExactly(CREATED, REQUIREMENT_MET, ACTIVATING);
    }

    @Test
    void aCancelledWaitingRolloutIsNotActivatedWhenItsRequirementIsMetLater() {
        primaryOnP1();
        repos.primary.target(P2);
        Rollout waiting = repos.targetSecondary(S1).result();
        secondaryPreparedEverywhere(S1);
        Transition cancelled = repos.secondary.cancel();
        assertThat(cancelled.result().state()).isEqualTo(RolloutState.CANCELLED);
        assertThat(actions(cancelled.result())).containsExactly(CREATED, WAITING, CANCELLED);

        repos.primaryRolledOut(P2);
        Transition late = repos.secondary.apply(new MeetRequirement(waiting.id(), "primary", P2, 2));
        assertThat(late.changed()).isFalse();
        assertThat(repos.secondary.state.active()).isNull();
        assertThat(repos.secondary.state.pending()).isNull();
    }

    @Test
    void aCancelledPrimaryTargetKeepsSecondaryWaitingUntilItIsTargetedAgain() {
        primaryOnP1();
        repos.primary.target(P2);
        Rollout first = repos.targetSecondary(S1).result();
        secondaryPreparedEverywhere(S1);
        repos.primary.cancel();
        assertThat(repos.look()).isEmpty();
        assertThat(repos.secondary.state.pending().id()).isEqualTo(first.id());

        // The way out: withdraw it and set the target again, which requires primary's active commit now.
        repos.secondary.cancel();
        Rollout again = repos.targetSecondary(S1).result();
        assertThat(again.requires()).singleElement().satisfies(r -> assertThat(r.commit()).isEqualTo(P1));
        assertThat(repos.secondary.state.active()).isEqualTo(S1);
    }

    @Test
    void aPausedRolloutRecordsItsRequirementMetButActivatesOnlyOnResume() {
        primaryOnP1();
        repos.primary.target(P2);
        repos.targetSecondary(S1);
        repos.secondary.pause();
        secondaryPreparedEverywhere(S1);
        // Paused first: it does not wait for primary yet, the operator holds it.
        assertThat(actions(repos.secondary.state.pending())).containsExactly(CREATED, PAUSED);

        repos.primaryRolledOut(P2);
        assertThat(actions(repos.secondary.state.pending())).containsExactly(CREATED, PAUSED, REQUIREMENT_MET);
        assertThat(repos.secondary.state.active()).isNull();

        repos.secondary.resume();
        assertThat(repos.secondary.state.active()).isEqualTo(S1);
        assertThat(actions(repos.secondary.state.current()))
                .containsExactly(CREATED, PAUSED, REQUIREMENT_MET, RESUMED, ACTIVATING);
    }

    @Test
    void resumingARolloutWhoseRequirementIsUnmetStartsItsWaitInstead() {
        primaryOnP1();
        repos.primary.target(P2);
        repos.targetSecondary(S1);
        repos.secondary.pause();
        secondaryPreparedEverywhere(S1);
        repos.secondary.resume();
        assertThat(repos.secondary.state.active()).isNull();
        assertThat(actions(repos.secondary.state.pending())).containsExactly(CREATED, PAUSED, RESUMED, WAITING);
    }

    // --- the command itself ----------------------------------------------------------------------------------------

    @Test
    void meetingARequirementIsIdempotentAndOnlyForThePendingRollout() {
        primaryOnP1();
        repos.primary.target(P2);
        Rollout waiting = repos.targetSecondary(S1).result();

        assertThat(repos.secondary.apply(new MeetRequirement(waiting.id() + 100, "primary", P2, 2)).changed())
                .isFalse();
        assertThat(repos.secondary.apply(new MeetRequirement(waiting.id(), "primary", P1, 2)).changed()).isFalse();
        Transition met = repos.secondary.apply(new MeetRequirement(waiting.id(), "primary", P2, 2));
        assertThat(met.changed()).isTrue();
        assertThat(met.desiredChanged()).isFalse();
        Transition again = repos.secondary.apply(new MeetRequirement(waiting.id(), "primary", P2, 2));
        assertThat(again.changed()).isFalse();
        assertThat(actions(repos.secondary.state.pending())).containsExactly(CREATED, REQUIREMENT_MET);
    }

    @Test
    void everyRequirementMustBeMetBeforeActivation() {
        RepoDriver secondary = RepoDriver.named("secondary", "a");
        Transition created = secondary.apply(new SetTarget(S1, Command.Ancestry.NO_ACTIVE, false, "ci", "two",
                List.of(Requirement.unmet("primary", P1), Requirement.unmet("tertiary", P2))));
        long id = created.result().id();
        secondary.prepared("a", S1);
        secondary.apply(new MeetRequirement(id, "tertiary", P2, 1));
        assertThat(secondary.state.active()).isNull();
        assertThat(secondary.state.pending().unmetRequirements()).containsExactly(Requirement.unmet("primary", P1));

        secondary.apply(new MeetRequirement(id, "primary", P1, 1));
        assertThat(secondary.state.active()).isEqualTo(S1);
        assertThat(actions(secondary.state.current()))
                .containsExactly(CREATED, WAITING, REQUIREMENT_MET, REQUIREMENT_MET, ACTIVATING);
    }

    @Test
    void countsHostsServingTheCommitOrADescendantOnly() {
        HostTally tally = HostTally.NONE.replace(null, StatusBuilder.status().current(P1).build())
                .replace(null, StatusBuilder.status().current(P2).build())
                .replace(null, StatusBuilder.status().current(P3).next(P3).build());
        Requirement p2 = Requirement.unmet("primary", P2);
        assertThat(p2.hostsServing(tally, served -> served.equals(P3))).isEqualTo(2);
        assertThat(p2.hostsServing(tally, served -> false)).isEqualTo(1);
        assertThat(Requirement.of(RepoState.empty("primary"))).isEmpty();
    }
}

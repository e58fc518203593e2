package org.lockstep.manifest.rollout.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.lockstep.manifest.rollout.machine.RepoDriver.at;
import static org.lockstep.manifest.rollout.machine.RepoDriver.commit;
import static org.lockstep.manifest.rollout.machine.RolloutState.ACTIVATING;
import static org.lockstep.manifest.rollout.machine.RolloutState.CANCELLED;
import static org.lockstep.manifest.rollout.machine.RolloutState.COMPLETE;
import static org.lockstep.manifest.rollout.machine.RolloutState.PREPARING;
import static org.lockstep.manifest.rollout.machine.RolloutState.SUPERSEDED;
import static org.lockstep.manifest.rollout.machine.StatusBuilder.status;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.lockstep.manifest.rollout.machine.Command.Ancestry;
import org.lockstep.manifest.rollout.machine.Command.Cancel;
import org.lockstep.manifest.rollout.machine.Command.SetTarget;

/** docs/design.md's rollout rules, one behaviour per test. */
class RolloutMachineTests {

    private static final String C1 = commit(1);

    private static final String C2 = commit(2);

    private static final String C3 = commit(3);

    private static final String UNKNOWN = commit(99);

    // --- activation ----------------------------------------------------------------------------------------------

    @Test
    void activatesOnlyWhenEveryExpectedHostHasPrepared() {
        RepoDriver fleet = new RepoDriver("a", "b", "c");
        Rollout created = fleet.target(C1).result();
        assertThat(created.state()).isEqualTo(PREPARING);

        fleet.prepared("a", C1);
        fleet.prepared("b", C1);
        assertThat(fleet.state.active()).isNull();
        assertThat(fleet.state.pending().state()).isEqualTo(PREPARING);
        assertThat(fleet.preparedHosts()).containsOnly("a", "b");

        Transition last = fleet.prepared("c", C1);
        assertThat(last.desiredChanged()).isTrue();
        assertThat(fleet.state.active()).isEqualTo(C1);
        assertThat(fleet.state.pending()).isNull();
        assertThat(fleet.state.target()).isEmpty();
        assertThat(fleet.state.current().id()).isEqualTo(created.id());
        assertThat(fleet.state.current().state()).isEqualTo(ACTIVATING);
        assertThat(last.rollouts()).extracting(Rollout::id, Rollout::state).containsExactly(
                tuple(created.id(), ACTIVATING));
    }

    @Test
    void aHostAlreadyServingTheTargetCountsAsPrepared() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1);
        fleet.serves("a", C1);
        fleet.prepared("b", C1);
        assertThat(fleet.state.active()).isEqualTo(C1);
    }

    @Test
    void targetWhoseHostsAreAlreadyPreparedActivatesAtOnce() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.prepared("a", C1);
        fleet.prepared("b", C1);
        Transition target = fleet.target(C1);
        assertThat(target.result().state()).isEqualTo(ACTIVATING);
        assertThat(target.result().events()).extracting(RolloutEvent::action)
                .containsExactly(RolloutAction.CREATED, RolloutAction.ACTIVATING);
        assertThat(fleet.state.active()).isEqualTo(C1);
    }

    @Test
    void hostWithErrorKeepsRolloutPreparing() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1);
        fleet.prepared("a", C1);
        fleet.report("b", status().preparing(null).error("verify-command exited 1", C1).sentAt(fleet.nextNow()));
        fleet.prepared("a", C1);
        fleet.report("b", fleet.last("b").preparing(C1));
        fleet.report("b", fleet.last("b").preparing(null));

        assertThat(fleet.state.active()).isNull();
        assertThat(fleet.state.pending().state()).isEqualTo(PREPARING);
        assertThat(fleet.status("b").error()).isEqualTo("verify-command exited 1");
        assertThat(fleet.status("b").errorCommit()).isEqualTo(C1);

        fleet.prepared("b", C1);
        assertThat(fleet.state.active()).as("activates once the host recovers").isEqualTo(C1);
    }

    @Test
    void readinessIsTakenFromLatestReport() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1);
        fleet.prepared("a", C1);
        fleet.report("a", fleet.last("a").next(null));
        Transition last = fleet.prepared("b", C1);

        assertThat(last.desiredChanged()).isFalse();
        assertThat(fleet.state.active()).isNull();
        assertThat(fleet.state.pending().state()).isEqualTo(PREPARING);
    }

    // --- targets -------------------------------------------------------------------------------------------------

    @Test
    void newerTargetSupersedesPendingOne() {
        RepoDriver fleet = new RepoDriver("a", "b");
        Rollout first = fleet.target(C1).result();
        fleet.prepared("a", C1);

        long id = fleet.nextId();
        Transition second = fleet.target(C2);

        assertThat(second.desiredChanged()).isTrue();
        assertThat(second.result().id()).isEqualTo(id);
        assertThat(second.result().commit()).isEqualTo(C2);
        assertThat(second.result().state()).isEqualTo(PREPARING);
        assertThat(fleet.state.pending()).isEqualTo(second.result());
        assertThat(fleet.state.target()).contains(C2);
        Rollout superseded = second.rollouts().stream().filter(r -> r.id() == first.id()).findFirst().orElseThrow();
        assertThat(superseded.state()).isEqualTo(SUPERSEDED);
        assertThat(superseded.events().get(superseded.events().size() - 1))
                .isEqualTo(new RolloutEvent(at(3), RolloutAction.SUPERSEDED, SUPERSEDED, "ci",
                        "superseded by rollout " + id));
        assertThat(second.rollouts()).extracting(Rollout::id).containsExactlyInAnyOrder(first.id(), id);

        fleet.prepared("b", C1);
        assertThat(fleet.state.active()).as("the superseded commit never activates").isNull();
    }

    @Test
    void lateReportForSupersededCommitChangesNothing() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1);
        fleet.target(C2);

        Transition lateA = fleet.prepared("a", C1);
        Transition lateB = fleet.prepared("b", C1);

        for (Transition late : new Transition[] { lateA, lateB }) {
            assertThat(late.desiredChanged()).isFalse();
            assertThat(late.rollouts()).isEmpty();
        }
        assertThat(fleet.state.active()).isNull();
        assertThat(fleet.state.pending().commit()).isEqualTo(C2);
        assertThat(fleet.preparedHosts()).isEmpty();
    }

    @Test
    void sameTargetTwiceReturnsTheSameRollout() {
        RepoDriver fleet = new RepoDriver("a", "b");
        Rollout first = fleet.target(C1).result();
        fleet.prepared("a", C1);
        RepoState before = fleet.state;

        Transition again = fleet.apply(new SetTarget(C1, Ancestry.NO_ACTIVE, false, "webhook", "push again"));

        assertThat(again.changed()).isFalse();
        assertThat(again.desiredChanged()).isFalse();
        assertThat(again.state()).isSameAs(before);
        assertThat(again.result().id()).isEqualTo(first.id());
        assertThat(again.result()).isEqualTo(before.pending());
    }

    @Test
    void targetEqualToActiveWithdrawsPending() {
        RepoDriver fleet = activated("a", "b");
        Rollout current = fleet.state.current();
        Rollout pending = fleet.target(C2).result();

        Transition back = fleet.target(C1);

        assertThat(back.desiredChanged()).isTrue();
        assertThat(back.result()).isEqualTo(current);
        assertThat(fleet.state.pending()).isNull();
        assertThat(fleet.state.target()).isEmpty();
        assertThat(fleet.state.active()).isEqualTo(C1);
        assertThat(back.rollouts()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(pending.id());
            assertThat(r.state()).isEqualTo(SUPERSEDED);
            assertThat(r.events().get(r.events().size() - 1).reason())
                    .isEqualTo("target set back to the active commit");
        });
    }

    @Test
    void targetEqualToActiveWithNothingPendingChangesNothing() {
        RepoDriver fleet = activated("a", "b");
        RepoState before = fleet.state;
        Transition same = fleet.target(C1);
        assertThat(same.changed()).isFalse();
        assertThat(same.state()).isSameAs(before);
        assertThat(same.result()).isEqualTo(before.current());
    }

    @Test
    void targetBehindActiveNeedsRollback() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C2);
        fleet.prepared("a", C2);
        fleet.prepared("b", C2);
        fleet.target(C3);
        RepoState before = fleet.state;

        assertThatThrownBy(() -> fleet.target(C1))
                .isInstanceOfSatisfying(RolloutRejected.class,
                        e -> assertThat(e.kind()).isEqualTo(RolloutRejected.Kind.NOT_FORWARD));
        assertThat(fleet.state).as("a rejected target leaves the pending one alone").isSameAs(before);

        Transition rollback = fleet.rollback(C1);
        assertThat(rollback.result().commit()).isEqualTo(C1);
        assertThat(rollback.result().rollback()).isTrue();
        assertThat(rollback.result().previous()).isEqualTo(C2);
        assertThat(rollback.result().createdBy()).isEqualTo("alice");
        assertThat(fleet.state.target()).contains(C1);
    }

    @Test
    void rollbackActivatesWhenHostsStillHaveTheOldRelease() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1);
        fleet.prepared("a", C1);
        fleet.prepared("b", C1);
        fleet.serves("a", C1);
        fleet.serves("b", C1);
        Rollout bad = fleet.target(C2).result();
        fleet.prepared("a", C2);
        fleet.prepared("b", C2);
        assertThat(fleet.state.active()).isEqualTo(C2);

        // Neither host switched yet: both still serve C1, so going back needs no preparation at all.
        Transition rollback = fleet.rollback(C1);

        assertThat(fleet.state.active()).isEqualTo(C1);
        assertThat(rollback.result().state()).isEqualTo(COMPLETE);
        assertThat(rollback.result().rollback()).isTrue();
        assertThat(rollback.rollouts()).extracting(Rollout::id, Rollout::state).containsExactlyInAnyOrder(
                tuple(bad.id(), SUPERSEDED),
                tuple(rollback.result().id(), COMPLETE));
    }

    @Test
    void rollbackAfterEveryHostSwitchedActivatesOnceTheOldReleaseIsLinkedAgain() {
        RepoDriver fleet = activated("a", "b");
        fleet.serves("a", C1);
        fleet.serves("b", C1);
        fleet.target(C2);
        fleet.prepared("a", C2);
        fleet.prepared("b", C2);
        fleet.serves("a", C2);
        fleet.serves("b", C2);
        assertThat(fleet.state.current().state()).isEqualTo(COMPLETE);

        fleet.rollback(C1);
        assertThat(fleet.state.active()).isEqualTo(C2);
        fleet.prepared("a", C1);
        fleet.prepared("b", C1);
        assertThat(fleet.state.active()).isEqualTo(C1);
        assertThat(fleet.state.current().rollback()).isTrue();
    }

    // --- reports -------------------------------------------------------------------------------------------------

    @Test
    void lateReportOfTheSameSessionIsIgnored() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1);
        fleet.prepared("b", C1);
        fleet.report("a", status().key("s1", 7));
        RepoState before = fleet.state;

        Transition stale = fleet.report("a", status().next(C1).key("s1", 5));
        Transition again = fleet.report("a", status().next(C1).key("s1", 7));

        assertThat(stale.changed()).isFalse();
        assertThat(again.changed()).as("the same number is no newer").isFalse();
        assertThat(stale.state()).isSameAs(before);
        assertThat(fleet.state.active()).isNull();
        assertThat(fleet.status("a").next()).isNull();

        fleet.report("a", status().next(C1).key("s1", 8));
        assertThat(fleet.state.active()).as("the next report of the session counts").isEqualTo(C1);
    }

    @Test
    void hostClockFarAheadDoesNotHoldBackLaterReports() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1);
        fleet.prepared("b", C1);
        fleet.report("a", status().preparing(C1).sentAt(Instant.parse("2100-01-01T00:00:00Z")).key("s1", 1));

        fleet.report("a", status().next(C1).sentAt(fleet.nextNow()).key("s1", 2));

        assertThat(fleet.status("a").next()).isEqualTo(C1);
        assertThat(fleet.state.active()).as("sentAt orders nothing").isEqualTo(C1);
    }

    @Test
    void reportOfANewSessionIsAcceptedWhateverItsNumber() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1);
        fleet.prepared("b", C1);
        fleet.report("a", status().preparing(C1).key("before-restart", 900));

        fleet.report("a", status().next(C1).key("after-restart", 1));

        assertThat(fleet.status("a").session()).isEqualTo("after-restart");
        assertThat(fleet.state.active()).isEqualTo(C1);
    }

    @Test
    void reportsWithoutSessionAreTakenInArrivalOrder() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1);
        fleet.report("a", status().next(C1).key("s1", 4));

        fleet.report("a", status().preparing(C1).sentAt(at(1)));

        assertThat(fleet.status("a").next()).as("an old agent's report replaces the last").isNull();
        assertThat(fleet.status("a").preparing()).isEqualTo(C1);
    }

    @Test
    void duplicateReportIsNotAWrite() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1);
        fleet.prepared("a", C1);
        HostStatus sent = fleet.status("a");
        RepoState before = fleet.state;

        Transition twice = fleet.apply(new Command.Report("a", sent));

        assertThat(twice.changed()).isFalse();
        assertThat(twice.desiredChanged()).isFalse();
        assertThat(twice.rollouts()).isEmpty();
        assertThat(twice.state()).isSameAs(before);
    }

    /** Agents heartbeat every 10 s; only a change of disk state is written. (The price: see the invariant tests.) */
    @Test
    void heartbeatWithTheSameDiskStateIsNotAWrite() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1);
        fleet.prepared("a", C1);
        RepoState before = fleet.state;

        Transition heartbeat = fleet.report("a", fleet.last("a").sentAt(at(500)));

        assertThat(heartbeat.changed()).isFalse();
        assertThat(heartbeat.state()).isSameAs(before);
    }

    @Test
    void reportFromUnexpectedHostIsIgnored() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1);
        fleet.prepared("a", C1);
        RepoState before = fleet.state;

        Transition stranger = fleet.prepared("z", C1);

        assertThat(stranger.changed()).isFalse();
        assertThat(stranger.state()).isSameAs(before);
        assertThat(fleet.entries).doesNotContainKey("z");
        assertThat(fleet.state.active()).isNull();
    }

    @Test
    void reportForUnknownCommitDoesNotCountAsPrepared() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1);
        fleet.prepared("a", C1);

        Transition unknown = fleet.report("b", status().current(UNKNOWN).next(UNKNOWN).sentAt(fleet.nextNow()));

        assertThat(unknown.changed()).as("what the host has is recorded").isTrue();
        assertThat(unknown.desiredChanged()).isFalse();
        assertThat(unknown.rollouts()).isEmpty();
        assertThat(fleet.status("b").current()).isEqualTo(UNKNOWN);
        assertThat(fleet.state.active()).isNull();
        assertThat(fleet.preparedHosts()).containsOnly("a");
    }

    @Test
    void preparedRecordsWhenTheManifestFirstSawEachHostReady() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1);
        Instant first = fleet.nextNow();
        fleet.prepared("a", C1);
        fleet.report("a", fleet.last("a").preparing(C2));
        assertThat(fleet.entries.get("a").preparedFor(fleet.state.pending().id())).contains(first);
        assertThat(fleet.preparedHosts()).containsOnly("a");
        assertThat(fleet.state.pending().hostsPrepared()).isEqualTo(1);
    }

    // --- expected hosts ------------------------------------------------------------------------------------------

    @Test
    void hostRemovedMidRolloutLetsTheRestActivate() {
        RepoDriver fleet = new RepoDriver("a", "b", "c");
        fleet.idle("c");
        fleet.target(C1);
        fleet.prepared("a", C1);
        fleet.prepared("b", C1);

        Transition removed = fleet.changeHosts("a", "b");

        assertThat(removed.desiredChanged()).isTrue();
        assertThat(fleet.expected).containsExactlyInAnyOrder("a", "b");
        assertThat(fleet.entries).containsOnlyKeys("a", "b");
        assertThat(fleet.state.active()).isEqualTo(C1);
        assertThat(fleet.state.current().state()).isEqualTo(ACTIVATING);
    }

    @Test
    void hostAddedMidRolloutHoldsActivation() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1);
        fleet.prepared("a", C1);

        Transition added = fleet.changeHosts("a", "b", "c");
        assertThat(added.desiredChanged()).isTrue();
        fleet.prepared("b", C1);
        assertThat(fleet.state.active()).isNull();

        fleet.prepared("c", C1);
        assertThat(fleet.state.active()).isEqualTo(C1);
    }

    @Test
    void hostAddedWhileActivatingHoldsCompletion() {
        RepoDriver fleet = activated("a", "b");
        fleet.serves("a", C1);
        fleet.changeHosts("a", "b", "c");
        fleet.serves("b", C1);
        assertThat(fleet.state.current().state()).isEqualTo(ACTIVATING);
        fleet.serves("c", C1);
        assertThat(fleet.state.current().state()).isEqualTo(COMPLETE);
    }

    @Test
    void sameHostSetIsNoChange() {
        RepoDriver fleet = new RepoDriver("a", "b");
        RepoState before = fleet.state;
        Transition same = fleet.changeHosts("b", "a");
        assertThat(same.changed()).isFalse();
        assertThat(same.state()).isSameAs(before);
    }

    // --- operator actions ----------------------------------------------------------------------------------------

    @Test
    void pauseHoldsActivationAndResumeActivatesAtOnce() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1);
        Transition pause = fleet.pause();
        assertThat(pause.changed()).isTrue();
        assertThat(pause.desiredChanged()).isFalse();
        assertThat(fleet.state.paused()).isTrue();

        fleet.prepared("a", C1);
        Transition ready = fleet.prepared("b", C1);
        assertThat(ready.desiredChanged()).isFalse();
        assertThat(fleet.state.active()).isNull();
        assertThat(fleet.preparedHosts()).containsOnly("a", "b");

        Transition resume = fleet.resume();
        assertThat(resume.desiredChanged()).isTrue();
        assertThat(fleet.state.paused()).isFalse();
        assertThat(fleet.state.active()).isEqualTo(C1);
        assertThat(fleet.state.current().events()).extracting(RolloutEvent::action, RolloutEvent::actor)
                .containsExactly(
                        tuple(RolloutAction.CREATED, "ci"),
                        tuple(RolloutAction.PAUSED, "alice"),
                        tuple(RolloutAction.RESUMED, "bob"),
                        tuple(RolloutAction.ACTIVATING, RolloutEvent.SYSTEM));
    }

    @Test
    void pauseDoesNotHoldSwitchingOrCompletion() {
        RepoDriver fleet = activated("a", "b");
        fleet.pause();
        fleet.serves("a", C1);
        fleet.serves("b", C1);
        assertThat(fleet.state.current().state()).isEqualTo(COMPLETE);
    }

    @Test
    void pauseHoldsARollbackToo() {
        RepoDriver fleet = activated("a", "b");
        fleet.pause();
        fleet.prepared("a", C2);
        fleet.prepared("b", C2);
        fleet.target(C2);
        assertThat(fleet.state.active()).isEqualTo(C1);
        fleet.resume();
        assertThat(fleet.state.active()).isEqualTo(C2);
    }

    @Test
    void pauseTwiceAndResumeWhenRunningChangeNothing() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1);
        assertThat(fleet.resume().changed()).isFalse();
        fleet.pause();
        RepoState paused = fleet.state;
        Transition again = fleet.pause();
        assertThat(again.changed()).isFalse();
        assertThat(again.state()).isSameAs(paused);
        assertThat(fleet.state.pending().events()).extracting(RolloutEvent::action)
                .containsExactly(RolloutAction.CREATED, RolloutAction.PAUSED);
    }

    @Test
    void cancelWithdrawsTarget() {
        RepoDriver fleet = new RepoDriver("a", "b");
        Rollout rollout = fleet.target(C1).result();
        fleet.prepared("a", C1);

        Transition cancel = fleet.cancel();

        assertThat(cancel.desiredChanged()).isTrue();
        assertThat(cancel.result().id()).isEqualTo(rollout.id());
        assertThat(cancel.result().state()).isEqualTo(CANCELLED);
        assertThat(cancel.result().events().get(cancel.result().events().size() - 1))
                .isEqualTo(new RolloutEvent(at(3), RolloutAction.CANCELLED, CANCELLED, "alice", "wrong commit"));
        assertThat(fleet.state.pending()).isNull();
        assertThat(fleet.state.target()).isEmpty();

        fleet.prepared("b", C1);
        assertThat(fleet.state.active()).as("a cancelled rollout never activates").isNull();
    }

    @Test
    void cancelLeavesTheActivatingRolloutAlone() {
        RepoDriver fleet = activated("a", "b");
        Rollout current = fleet.state.current();
        fleet.target(C2);
        Transition cancel = fleet.cancel();
        assertThat(cancel.rollouts()).extracting(Rollout::commit).containsExactly(C2);
        assertThat(fleet.state.current()).isEqualTo(current);
        assertThat(fleet.state.active()).isEqualTo(C1);
    }

    @Test
    void cancelWithNothingPendingIsRejected() {
        RepoDriver empty = new RepoDriver("a", "b");
        assertThatThrownBy(empty::cancel).isInstanceOfSatisfying(RolloutRejected.class,
                e -> assertThat(e.kind()).isEqualTo(RolloutRejected.Kind.NOTHING_TO_CANCEL));

        RepoDriver activating = activated("a", "b");
        RepoState before = activating.state;
        assertThatThrownBy(activating::cancel).isInstanceOfSatisfying(RolloutRejected.class,
                e -> assertThat(e.kind()).isEqualTo(RolloutRejected.Kind.NOTHING_TO_CANCEL));
        assertThat(activating.state).isSameAs(before);
    }

    @Test
    void cancelOfTheRolloutTheOperatorSawCancelsIt() {
        RepoDriver fleet = new RepoDriver("a", "b");
        Rollout seen = fleet.target(C1).result();

        Transition cancel = fleet.apply(new Cancel("alice", "wrong commit", seen.id()));

        assertThat(cancel.result().id()).isEqualTo(seen.id());
        assertThat(cancel.result().state()).isEqualTo(CANCELLED);
        assertThat(fleet.state.pending()).isNull();
    }

    @Test
    void targetSetAfterTheOperatorLookedIsNotCancelledInstead() {
        RepoDriver fleet = new RepoDriver("a", "b");
        Rollout seen = fleet.target(C1).result();
        Rollout newer = fleet.target(C2).result();
        RepoState before = fleet.state;

        assertThatThrownBy(() -> fleet.apply(new Cancel("alice", "wrong commit", seen.id())))
                .isInstanceOfSatisfying(RolloutRejected.class,
                        e -> assertThat(e.kind()).isEqualTo(RolloutRejected.Kind.NOTHING_TO_CANCEL))
                .hasMessageContaining("#" + seen.id()).hasMessageContaining("#" + newer.id());
        assertThat(fleet.state).isSameAs(before);
        assertThat(fleet.state.pending().id()).isEqualTo(newer.id());
        assertThat(fleet.state.pending().state()).isEqualTo(PREPARING);
    }

    @Test
    void cancelOfASeenRolloutThatAlreadyActivatedIsRejected() {
        RepoDriver fleet = new RepoDriver("a");
        Rollout seen = fleet.target(C1).result();
        fleet.prepared("a", C1);
        RepoState before = fleet.state;

        assertThatThrownBy(() -> fleet.apply(new Cancel("alice", "too late", seen.id())))
                .isInstanceOfSatisfying(RolloutRejected.class,
                        e -> assertThat(e.kind()).isEqualTo(RolloutRejected.Kind.NOTHING_TO_CANCEL));
        assertThat(fleet.state).isSameAs(before);
        assertThat(fleet.state.current().state()).isEqualTo(ACTIVATING);
    }

    // --- activation over activation, completion ------------------------------------------------------------------

    @Test
    void activationSupersedesAnUnfinishedActivation() {
        RepoDriver fleet = activated("a", "b");
        Rollout first = fleet.state.current();
        fleet.serves("a", C1);
        Rollout second = fleet.target(C2).result();
        fleet.prepared("a", C2);
        Transition activation = fleet.prepared("b", C2);

        assertThat(fleet.state.active()).isEqualTo(C2);
        assertThat(fleet.state.current().id()).isEqualTo(second.id());
        assertThat(activation.rollouts()).extracting(Rollout::id, Rollout::state).containsExactlyInAnyOrder(
                tuple(first.id(), SUPERSEDED),
                tuple(second.id(), ACTIVATING));
        Rollout superseded = activation.rollouts().stream().filter(r -> r.id() == first.id()).findFirst()
                .orElseThrow();
        RolloutEvent last = superseded.events().get(superseded.events().size() - 1);
        assertThat(last.actor()).isEqualTo(RolloutEvent.SYSTEM);
        assertThat(last.reason()).contains("rollout " + second.id());
    }

    @Test
    void activationOverACompleteRolloutLeavesItComplete() {
        RepoDriver fleet = activated("a", "b");
        fleet.serves("a", C1);
        fleet.serves("b", C1);
        fleet.target(C2);
        fleet.prepared("a", C2);
        Transition activation = fleet.prepared("b", C2);
        assertThat(activation.rollouts()).extracting(Rollout::commit, Rollout::state)
                .containsExactly(tuple(C2, ACTIVATING));
    }

    @Test
    void completesWhenEveryHostServes() {
        RepoDriver fleet = activated("a", "b");
        Transition first = fleet.serves("a", C1);
        assertThat(fleet.state.current().state()).isEqualTo(ACTIVATING);
        assertThat(fleet.switchedHosts()).containsOnly("a");
        assertThat(fleet.state.current().hostsSwitched()).isEqualTo(1);
        assertThat(first.desiredChanged()).isFalse();

        Transition last = fleet.serves("b", C1);
        assertThat(last.changed()).isTrue();
        assertThat(last.desiredChanged()).as("completion does not change what agents must do").isFalse();
        assertThat(fleet.state.current().state()).isEqualTo(COMPLETE);
        RolloutEvent complete = fleet.state.current().events().get(fleet.state.current().events().size() - 1);
        assertThat(complete).isEqualTo(new RolloutEvent(fleet.entries.get("b").switchedFor(fleet.state.current().id())
                .orElseThrow(), RolloutAction.COMPLETE, COMPLETE, RolloutEvent.SYSTEM, null));
        assertThat(fleet.state.current().hostsSwitched()).isEqualTo(2);
    }

    @Test
    void preparedIsNotServing() {
        RepoDriver fleet = activated("a", "b");
        fleet.serves("a", C1);
        fleet.prepared("b", C1);
        assertThat(fleet.state.current().state()).isEqualTo(ACTIVATING);
    }

    // --- revision ------------------------------------------------------------------------------------------------

    @Test
    void revisionGrowsOnlyWhenWhatAgentsMustDoChanges() {
        RepoDriver fleet = new RepoDriver("a", "b");
        record Step(String what, java.util.function.Supplier<Transition> command, boolean write, boolean desired) {
        }

        Step[] steps = {
                new Step("target", () -> fleet.target(C1), true, true),
                new Step("same target", () -> fleet.target(C1), false, false),
                new Step("a prepared", () -> fleet.prepared("a", C1), true, false),
                new Step("a heartbeat", () -> fleet.prepared("a", C1), false, false),
                new Step("stranger", () -> fleet.prepared("z", C1), false, false),
                new Step("pause", fleet::pause, true, false),
                new Step("pause again", fleet::pause, false, false),
                new Step("b prepared while paused", () -> fleet.prepared("b", C1), true, false),
                new Step("resume activates", fleet::resume, true, true),
                new Step("resume again", fleet::resume, false, false),
                new Step("a switched", () -> fleet.serves("a", C1), true, false),
                new Step("b switched: complete", () -> fleet.serves("b", C1), true, false),
                new Step("same hosts", () -> fleet.changeHosts("a", "b"), false, false),
                new Step("host added", () -> fleet.changeHosts("a", "b", "c"), true, true),
                new Step("next target", () -> fleet.target(C2), true, true),
                new Step("cancel", fleet::cancel, true, true),
                new Step("target the active commit", () -> fleet.target(C1), false, false),
        };
        for (Step step : steps) {
            RepoState before = fleet.state;
            Transition transition = step.command().get();
            assertThat(transition.changed()).as(step.what() + ": write").isEqualTo(step.write());
            assertThat(transition.desiredChanged()).as(step.what() + ": desired changed").isEqualTo(step.desired());
            assertThat(fleet.state.version()).as(step.what() + ": version")
                    .isEqualTo(before.version() + (transition.summaryChanged() ? 1 : 0));
            assertThat(transition.summaryChanged()).as(step.what() + ": summary written")
                    .isEqualTo(step.write());
            if (step.desired()) {
                assertThat(fleet.state.revision()).as(step.what() + ": revision").isGreaterThan(before.revision());
            }
            else {
                assertThat(fleet.state.revision()).as(step.what() + ": revision").isEqualTo(before.revision());
            }
        }
    }

    // --- audit and timing ----------------------------------------------------------------------------------------

    @Test
    void auditHistoryRecordsWhoDidWhatAndWhen() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.apply(new SetTarget(C1, Ancestry.NO_ACTIVE, false, "ci-primary", "merge !42")); // t1
        fleet.pause(); // t2
        fleet.prepared("a", C1); // t3
        fleet.resume(); // t4
        fleet.prepared("b", C1); // t5: activates
        fleet.serves("a", C1); // t6
        fleet.serves("b", C1); // t7: complete

        Rollout rollout = fleet.state.current();
        assertThat(rollout.createdBy()).isEqualTo("ci-primary");
        assertThat(rollout.reason()).isEqualTo("merge !42");
        assertThat(rollout.createdAt()).isEqualTo(at(1));
        assertThat(rollout.events()).containsExactly(
                new RolloutEvent(at(1), RolloutAction.CREATED, PREPARING, "ci-primary", "merge !42"),
                new RolloutEvent(at(2), RolloutAction.PAUSED, PREPARING, "alice", "freeze"),
                new RolloutEvent(at(4), RolloutAction.RESUMED, PREPARING, "bob", "thaw"),
                new RolloutEvent(at(5), RolloutAction.ACTIVATING, ACTIVATING, RolloutEvent.SYSTEM, null),
                new RolloutEvent(at(7), RolloutAction.COMPLETE, COMPLETE, RolloutEvent.SYSTEM, null));
        assertThat(rollout.enteredAt(ACTIVATING)).contains(at(5));
        assertThat(rollout.enteredAt(COMPLETE)).contains(at(7));
        assertThat(rollout.enteredAt(SUPERSEDED)).isEmpty();
        assertThat(fleet.entries.get("a").preparedFor(rollout.id())).contains(at(3));
        assertThat(fleet.entries.get("b").preparedFor(rollout.id())).contains(at(5));
        assertThat(rollout.hostsPrepared()).isEqualTo(2);
    }

    @Test
    void enteredPreparingWhenCreated() {
        RepoDriver fleet = new RepoDriver("a", "b");
        Rollout rollout = fleet.target(C1).result();
        fleet.pause();
        assertThat(rollout.enteredAt(PREPARING)).contains(at(1));
        assertThat(fleet.state.pending().enteredAt(PREPARING)).contains(at(1));
    }

    @Test
    void prepareDurationRunsFromTargetToActivation() {
        RepoDriver fleet = new RepoDriver("a", "b");
        fleet.target(C1); // t1
        assertThat(fleet.state.pending().prepareDuration()).isEmpty();
        fleet.report("a", status().next(C1).sentAt(at(2)));
        fleet.report("b", status().preparing(C1).sentAt(at(3)));
        fleet.report("b", status().next(C1).sentAt(at(4))); // t4: activates
        assertThat(fleet.state.current().prepareDuration()).contains(Duration.ofSeconds(3));
    }

    @Test
    void switchSkewIsTheSpreadOfTheHostsSwitchTimes() {
        RepoDriver fleet = activated("a", "b", "c");
        assertThat(fleet.state.current().switchSkew()).isEmpty();
        fleet.report("b", fleet.last("b").current(C1).switchedAt(at(1000)));
        assertThat(fleet.state.current().switchSkew()).contains(Duration.ZERO);
        fleet.report("a", fleet.last("a").current(C1).switchedAt(at(1003)));
        fleet.report("c", fleet.last("c").current(C1).switchedAt(at(1001)));
        long id = fleet.state.current().id();
        assertThat(fleet.entries.get("a").switchedFor(id)).contains(at(1003));
        assertThat(fleet.entries.get("b").switchedFor(id)).contains(at(1000));
        assertThat(fleet.entries.get("c").switchedFor(id)).contains(at(1001));
        assertThat(fleet.state.current().switchSkew()).contains(Duration.ofSeconds(3));
        assertThat(fleet.state.current().firstSwitched()).isEqualTo("b");
        assertThat(fleet.state.current().lastSwitched()).isEqualTo("a");
    }

    @Test
    void switchWithoutAHostTimeIsTimedByTheManifest() {
        RepoDriver fleet = activated("a", "b");
        Instant now = fleet.nextNow();
        fleet.report("a", fleet.last("a").current(C1).switchedAt(null));
        assertThat(fleet.entries.get("a").switchedFor(fleet.state.current().id())).contains(now);
        assertThat(fleet.state.current().firstSwitchAt()).isEqualTo(now);
    }

    /** A fleet whose every host has prepared C1, which is ACTIVATING; nobody switched yet. */
    private static RepoDriver activated(String... hosts) {
        RepoDriver fleet = new RepoDriver(hosts);
        fleet.target(C1);
        for (String host : hosts) {
            fleet.prepared(host, C1);
        }
        assertThat(fleet.state.active()).isEqualTo(C1);
        assertThat(fleet.state.current().state()).isEqualTo(ACTIVATING);
        return fleet;
    }
}

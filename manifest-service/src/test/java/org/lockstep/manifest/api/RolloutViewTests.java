package org.lockstep.manifest.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lockstep.manifest.rollout.machine.Command;
import org.lockstep.manifest.rollout.machine.Command.Ancestry;
import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.RolloutMachine;
import org.lockstep.manifest.rollout.machine.RolloutState;

/** Why a rollout is stuck, as its view says it: the blocking hosts, the deadline, overdue. */
class RolloutViewTests {

    private static final String C1 = "1".repeat(40);

    private static final String C0 = "0".repeat(40);

    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    private final RolloutMachine machine = new RolloutMachine();

    private RepoState state = RepoState.empty("primary", Set.of("a", "b", "c"));

    @Test
    void blockedByNamesEveryWaitedForHostWithAnErrorForTheCommitAndWhetherItIsPermanent() {
        state = apply(new Command.SetTarget(C1, Ancestry.NO_ACTIVE, false, "ci", "pipeline 1"), 0);
        state = apply(report("b", new HostStatus(null, null, null, "verify-command failed (exit 1): bad schema",
                C1, null, T0.plusSeconds(3), true, T0.plusSeconds(2), 0)), 3);
        state = apply(report("c", new HostStatus(null, null, C1, "fetch failed: connection reset", C1, null,
                T0.plusSeconds(4), false, T0.plusSeconds(4), 0)), 4);
        state = apply(report("a", new HostStatus(null, C1, null, null, null, null, T0.plusSeconds(5))), 5);

        RolloutView view = RolloutView.of(state.pending(), state, null, T0.plusSeconds(6));

        assertThat(view.waitingFor()).containsExactly("b", "c");
        assertThat(view.blockedBy()).containsExactly(
                new RolloutView.Blocked("b", C1, "verify-command failed (exit 1): bad schema", true, T0.plusSeconds(2)),
                new RolloutView.Blocked("c", C1, "fetch failed: connection reset", false, T0.plusSeconds(4)));
        assertThat(view.deadline()).isNull();
        assertThat(view.overdue()).isFalse();
    }

    @Test
    void aPermanentErrorFromBeforeTheOperatorsRetryIsShownAsRetryingUntilTheHostFailsAgain() {
        state = apply(new Command.SetTarget(C1, Ancestry.NO_ACTIVE, false, "ci", null), 0);
        state = apply(report("b", new HostStatus(null, null, null, "verify failed", C1, null, T0.plusSeconds(1),
                true, T0.plusSeconds(1), 0)), 1);
        state = apply(new Command.Retry("alice", "fixed", null), 2);

        RolloutView retrying = RolloutView.of(state.pending(), state, null, T0.plusSeconds(3));
        assertThat(retrying.retries()).isEqualTo(1);
        assertThat(retrying.blockedBy()).singleElement().satisfies(b -> assertThat(b.permanent()).isFalse());

        state = apply(report("b", new HostStatus(null, null, null, "verify failed", C1, null, T0.plusSeconds(4),
                true, T0.plusSeconds(1), 1)), 4);
        RolloutView failedAgain = RolloutView.of(state.pending(), state, null, T0.plusSeconds(5));
        assertThat(failedAgain.blockedBy()).singleElement().satisfies(b -> assertThat(b.permanent()).isTrue());
    }

    @Test
    void anErrorAboutAnotherCommitOrAHostThatIsReadyDoesNotBlock() {
        state = apply(new Command.SetTarget(C1, Ancestry.NO_ACTIVE, false, "ci", null), 0);
        state = apply(report("a", new HostStatus(null, C1, null, "prune failed", C1, null, T0.plusSeconds(1),
                true, T0, 0)), 1);
        state = apply(report("b", new HostStatus(null, null, null, "verify failed", C0, null, T0.plusSeconds(1),
                true, T0, 0)), 1);

        RolloutView view = RolloutView.of(state.pending(), state, null, T0.plusSeconds(2));

        assertThat(view.blockedBy()).isEmpty();
    }

    @Test
    void aRolloutPastItsPrepareDeadlineIsOverdueUntilItActivates() {
        state = apply(new Command.SetTarget(C1, Ancestry.NO_ACTIVE, false, "ci", null), 0);
        Duration deadline = Duration.ofMinutes(10);

        RolloutView early = RolloutView.of(state.pending(), state, deadline, T0.plus(deadline));
        RolloutView late = RolloutView.of(state.pending(), state, deadline, T0.plus(deadline).plusSeconds(1));

        assertThat(early.deadline()).isEqualTo(T0.plus(deadline));
        assertThat(early.overdue()).isFalse();
        assertThat(late.overdue()).isTrue();

        for (String host : new String[] {"a", "b", "c"}) {
            state = apply(report(host, new HostStatus(null, C1, null, null, null, null, T0.plusSeconds(700))),
                    700);
        }
        RolloutView activated = RolloutView.of(state.current(), state, deadline, T0.plusSeconds(701));
        assertThat(activated.state()).isEqualTo(RolloutState.ACTIVATING);
        assertThat(activated.overdue()).as("activated late, but activated").isFalse();
        assertThat(activated.deadline()).isEqualTo(T0.plus(deadline));
    }

    @Test
    void whileActivatingAHostThatCannotSwitchBlocks() {
        state = apply(new Command.SetTarget(C1, Ancestry.NO_ACTIVE, false, "ci", null), 0);
        for (String host : new String[] {"a", "b", "c"}) {
            state = apply(report(host, new HostStatus(null, C1, null, null, null, null, T0.plusSeconds(1))), 1);
        }
        state = apply(report("c", new HostStatus(null, C1, null, "switch failed: read-only file system", C1,
                null, T0.plusSeconds(2), false, T0.plusSeconds(2), 0)), 2);

        RolloutView view = RolloutView.of(state.current(), state, null, T0.plusSeconds(3));

        assertThat(view.waitingFor()).containsExactly("a", "b", "c");
        assertThat(view.blockedBy()).extracting(RolloutView.Blocked::host).containsExactly("c");
    }

    private RepoState apply(Command command, long second) {
        return machine.apply(state, command, T0.plusSeconds(second), 100 + second).state();
    }

    private static Command report(String host, HostStatus status) {
        return new Command.Report(host, status);
    }
}

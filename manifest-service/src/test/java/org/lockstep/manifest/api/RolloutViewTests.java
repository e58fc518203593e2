package org.lockstep.manifest.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockstep.manifest.rollout.machine.Command;
import org.lockstep.manifest.rollout.machine.Command.Ancestry;
import org.lockstep.manifest.rollout.machine.HostEntry;
import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.manifest.rollout.machine.RepoSnapshot;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.RolloutMachine;
import org.lockstep.manifest.rollout.machine.Transition;
import org.lockstep.manifest.rollout.machine.RolloutState;

/**
 * Why a rollout is stuck, as its view says it: the blocking hosts, the deadline, overdue. The machine's writes are
 * kept as a store keeps them: the summary apart from the hosts' entries.
 */
class RolloutViewTests {

    private static final String C1 = "1".repeat(40);

    private static final String C0 = "0".repeat(40);

    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    private final RolloutMachine machine = new RolloutMachine();

    private static final List<String> HOSTS = List.of("a", "b", "c");

    private RepoState state = RepoState.empty("primary");

    private Set<String> expected = Set.of();

    private final Map<String, HostEntry> entries = new TreeMap<>();

    @BeforeEach
    void expectHosts() {
        state = apply(new Command.ChangeHosts(Set.copyOf(HOSTS)), 0);
    }

    @Test
    void blockedByNamesEveryWaitedForHostWithAnErrorForTheCommitAndWhetherItIsPermanent() {
        state = apply(new Command.SetTarget(C1, Ancestry.NO_ACTIVE, false, "ci", "pipeline 1"), 0);
        state = apply(report("b", new HostStatus(null, null, null, "verify-command failed (exit 1): bad schema",
                C1, null, T0.plusSeconds(3), true, T0.plusSeconds(2), 0)), 3);
        state = apply(report("c", new HostStatus(null, null, C1, "fetch failed: connection reset", C1, null,
                T0.plusSeconds(4), false, T0.plusSeconds(4), 0)), 4);
        state = apply(report("a", new HostStatus(null, C1, null, null, null, null, T0.plusSeconds(5))), 5);

        RolloutView view = view(state.pending(), null, T0.plusSeconds(6));

        assertThat(view.waitingFor()).containsExactly("b", "c");
        assertThat(view.waitingCount()).isEqualTo(2);
        assertThat(view.blockedCount()).isEqualTo(2);
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

        RolloutView retrying = view(state.pending(), null, T0.plusSeconds(3));
        assertThat(retrying.retries()).isEqualTo(1);
        assertThat(retrying.blockedBy()).singleElement().satisfies(b -> assertThat(b.permanent()).isFalse());

        state = apply(report("b", new HostStatus(null, null, null, "verify failed", C1, null, T0.plusSeconds(4),
                true, T0.plusSeconds(1), 1)), 4);
        RolloutView failedAgain = view(state.pending(), null, T0.plusSeconds(5));
        assertThat(failedAgain.blockedBy()).singleElement().satisfies(b -> assertThat(b.permanent()).isTrue());
    }

    @Test
    void anErrorAboutAnotherCommitOrAHostThatIsReadyDoesNotBlock() {
        state = apply(new Command.SetTarget(C1, Ancestry.NO_ACTIVE, false, "ci", null), 0);
        state = apply(report("a", new HostStatus(null, C1, null, "prune failed", C1, null, T0.plusSeconds(1),
                true, T0, 0)), 1);
        state = apply(report("b", new HostStatus(null, null, null, "verify failed", C0, null, T0.plusSeconds(1),
                true, T0, 0)), 1);

        RolloutView view = view(state.pending(), null, T0.plusSeconds(2));

        assertThat(view.blockedBy()).isEmpty();
    }

    @Test
    void aRolloutPastItsPrepareDeadlineIsOverdueUntilItActivates() {
        state = apply(new Command.SetTarget(C1, Ancestry.NO_ACTIVE, false, "ci", null), 0);
        Duration deadline = Duration.ofMinutes(10);

        RolloutView early = view(state.pending(), deadline, T0.plus(deadline));
        RolloutView late = view(state.pending(), deadline, T0.plus(deadline).plusSeconds(1));

        assertThat(early.deadline()).isEqualTo(T0.plus(deadline));
        assertThat(early.overdue()).isFalse();
        assertThat(late.overdue()).isTrue();

        for (String host : new String[] {"a", "b", "c"}) {
            state = apply(report(host, new HostStatus(null, C1, null, null, null, null, T0.plusSeconds(700))),
                    700);
        }
        RolloutView activated = view(state.current(), deadline, T0.plusSeconds(701));
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

        RolloutView view = view(state.current(), null, T0.plusSeconds(3));

        assertThat(view.waitingFor()).containsExactly("a", "b", "c");
        assertThat(view.blockedBy()).extracting(RolloutView.Blocked::host).containsExactly("c");
    }

    private RepoState apply(Command command, long second) {
        long id = 100 + second;
        Transition t = machine.apply(RepoSnapshot.of(state, expected, entries.values()), command,
                T0.plusSeconds(second), id);
        t.hosts().written().forEach(entry -> entries.put(entry.host(), entry));
        if (t.hosts().expectedHosts() != null) {
            expected = t.hosts().expectedHosts();
        }
        return t.summaryChanged() ? t.state().written(id, t.desiredChanged()) : state;
    }

    private RolloutView view(Rollout rollout, Duration deadline, Instant now) {
        RolloutView.Waiting waiting = RolloutView.Waiting.of(rollout, HOSTS,
                host -> entries.containsKey(host) ? entries.get(host).status() : null, StatusViews.WAITING_NAMES);
        return RolloutView.of(rollout, state, HOSTS.size(), waiting, deadline, now, List.of());
    }

    private static Command report(String host, HostStatus status) {
        return new Command.Report(host, status);
    }
}

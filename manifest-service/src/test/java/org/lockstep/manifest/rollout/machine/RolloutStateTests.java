package org.lockstep.manifest.rollout.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lockstep.manifest.rollout.machine.RolloutState.ACTIVATING;
import static org.lockstep.manifest.rollout.machine.RolloutState.CANCELLED;
import static org.lockstep.manifest.rollout.machine.RolloutState.COMPLETE;
import static org.lockstep.manifest.rollout.machine.RolloutState.PREPARING;
import static org.lockstep.manifest.rollout.machine.RolloutState.SUPERSEDED;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rollout lifecycle: every (from, to) pair of the 5 x 5 matrix. */
class RolloutStateTests {

    /** docs/design.md's lifecycle, written out independently of {@code RolloutState.canMoveTo}. */
    private static final Set<List<RolloutState>> ALLOWED = Set.of(
            List.of(PREPARING, ACTIVATING),
            List.of(PREPARING, SUPERSEDED),
            List.of(PREPARING, CANCELLED),
            List.of(ACTIVATING, COMPLETE),
            List.of(ACTIVATING, SUPERSEDED));

    private static final Instant CREATED = Instant.parse("2026-11-26T12:00:00Z");

    private static final Instant MOVED = CREATED.plusSeconds(30);

    static Stream<Arguments> everyPair() {
        List<Arguments> pairs = new ArrayList<>();
        for (RolloutState from : RolloutState.values()) {
            for (RolloutState to : RolloutState.values()) {
                pairs.add(Arguments.of(from, to, ALLOWED.contains(List.of(from, to))));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}: allowed={2}")
    @MethodSource("everyPair")
    void onlyTheLifecycleMovesAreAllowed(RolloutState from, RolloutState to, boolean allowed) {
        Rollout rollout = rolloutIn(from);
        if (allowed) {
            Rollout moved = rollout.moveTo(to, MOVED, "alice", "because");
            assertThat(moved.state()).isEqualTo(to);
            assertThat(moved.events()).hasSize(2);
            assertThat(moved.events().get(1))
                    .isEqualTo(new RolloutEvent(MOVED, RolloutAction.valueOf(to.name()), to, "alice", "because"));
            assertThat(moved).usingRecursiveComparison().ignoringFields("state", "events").isEqualTo(rollout);
            assertThat(rollout.state()).as("the original is immutable").isEqualTo(from);
        }
        else {
            assertThatThrownBy(() -> rollout.moveTo(to, MOVED, "alice", "because"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("from " + from + " to " + to);
        }
    }

    @Test
    void everyPairIsCovered() {
        assertThat(everyPair()).hasSize(25);
        assertThat(ALLOWED).hasSize(5);
    }

    @Test
    void exactlyTheStatesWithNoWayOutAreTerminal() {
        for (RolloutState state : RolloutState.values()) {
            boolean noWayOut = ALLOWED.stream().noneMatch(move -> move.get(0) == state);
            assertThat(state.isTerminal()).as(state.name()).isEqualTo(noWayOut);
        }
        assertThat(Stream.of(RolloutState.values()).filter(RolloutState::isTerminal))
                .containsExactlyInAnyOrder(COMPLETE, SUPERSEDED, CANCELLED);
    }

    @Test
    void aNewRolloutIsPreparingWithACreatedEvent() {
        Rollout rollout = Rollout.create(7, "primary", RepoDriver.commit(2), RepoDriver.commit(1), true, "ci", "merge",
                CREATED, List.of());
        assertThat(rollout.state()).isEqualTo(PREPARING);
        assertThat(rollout.rollback()).isTrue();
        assertThat(rollout.previous()).isEqualTo(RepoDriver.commit(1));
        assertThat(rollout.events())
                .containsExactly(new RolloutEvent(CREATED, RolloutAction.CREATED, PREPARING, "ci", "merge"));
        assertThat(rollout.hostsPrepared()).isZero();
        assertThat(rollout.hostsSwitched()).isZero();
        assertThat(rollout.switchSkew()).isEmpty();
    }

    @Test
    void aMoveKeepsTheReasonTheTargetWasSetWith() {
        Rollout moved = rolloutIn(PREPARING).moveTo(CANCELLED, MOVED, "alice", "wrong commit");
        assertThat(moved.reason()).isEqualTo("merge !42");
        assertThat(moved.createdBy()).isEqualTo("ci");
        assertThat(moved.events().get(1).reason()).isEqualTo("wrong commit");
    }

    private static Rollout rolloutIn(RolloutState state) {
        return new Rollout(1, "primary", RepoDriver.commit(1), null, false, state, "ci", "merge !42", CREATED,
                1, 0, null, null, null, null,
                List.of(new RolloutEvent(CREATED, RolloutAction.CREATED, state, "ci", "merge !42")), List.of());
    }
}

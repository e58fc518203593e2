package org.lockstep.manifest.rollout.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The audit vocabulary: which action enters which state, and the one way to ask when a state was entered. */
class RolloutActionTests {

    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    @ParameterizedTest
    @EnumSource(RolloutState.class)
    void everyStateIsEnteredByExactlyOneAction(RolloutState state) {
        assertThat(RolloutAction.entering(state).enters()).contains(state);
        assertThat(List.of(RolloutAction.values())).filteredOn(a -> a.enters().filter(state::equals).isPresent())
                .containsExactly(RolloutAction.entering(state));
    }

    @Test
    void operatorNotesEnterNoState() {
        assertThat(List.of(RolloutAction.PAUSED, RolloutAction.RESUMED, RolloutAction.RETRIED))
                .allMatch(a -> a.enters().isEmpty());
    }

    @Test
    void aStateIsEnteredAtItsEventNotAtANoteRecordedInIt() {
        List<RolloutEvent> history = List.of(
                new RolloutEvent(T0, RolloutAction.CREATED, RolloutState.PREPARING, "ci", null),
                new RolloutEvent(T0.plusSeconds(1), RolloutAction.PAUSED, RolloutState.PREPARING, "alice", null),
                new RolloutEvent(T0.plusSeconds(2), RolloutAction.ACTIVATING, RolloutState.ACTIVATING, "system", null),
                new RolloutEvent(T0.plusSeconds(3), RolloutAction.RESUMED, RolloutState.ACTIVATING, "bob", null));

        assertThat(RolloutEvent.enteredAt(history, RolloutState.PREPARING)).contains(T0);
        assertThat(RolloutEvent.enteredAt(history, RolloutState.ACTIVATING)).contains(T0.plusSeconds(2));
        assertThat(RolloutEvent.enteredAt(history, RolloutState.COMPLETE)).isEmpty();
    }
}

package org.lockstep.manifest.rollout.machine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One line of a rollout's audit history: a state change, or an operator action (pause, resume) recorded against it.
 *
 * @param at     when it happened (the manifest's clock)
 * @param action what happened
 * @param state  the rollout's state after the event
 * @param actor  the token name (or {@code system} for automatic moves)
 * @param reason the reason the actor gave, or {@code null}
 */
public record RolloutEvent(Instant at, RolloutAction action, RolloutState state, String actor, String reason) {

    public static final String SYSTEM = "system";

    /** Whether this event is the one by which the rollout entered {@code wanted}. */
    public boolean enters(RolloutState wanted) {
        return action.enters().filter(wanted::equals).isPresent();
    }

    /**
     * When a rollout with this history entered {@code state}, if it ever did. The one answer to that question, for
     * the machine, the API's views, the page and the metrics alike; states are never re-entered.
     */
    public static Optional<Instant> enteredAt(List<RolloutEvent> history, RolloutState state) {
        return history.stream().filter(e -> e.enters(state)).map(RolloutEvent::at).findFirst();
    }
}

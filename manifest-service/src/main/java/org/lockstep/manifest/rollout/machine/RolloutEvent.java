package org.lockstep.manifest.rollout.machine;

import java.time.Instant;

/**
 * One line of a rollout's audit history: a state change, or an operator action (pause, resume) recorded against it.
 *
 * @param at     when it happened (the manifest's clock)
 * @param action what happened: {@code CREATED}, a {@link RolloutState} name it moved to, {@code PAUSED}, {@code RESUMED}
 * @param state  the rollout's state after the event
 * @param actor  the token name (or {@code system} for automatic moves)
 * @param reason the reason the actor gave, or {@code null}
 */
public record RolloutEvent(Instant at, String action, RolloutState state, String actor, String reason) {

    public static final String SYSTEM = "system";
}

package org.lockstep.manifest.rollout.machine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One attempt to move a repository's active commit. Immutable: every change returns a new instance, and every state
 * change goes through {@link #moveTo}, which refuses a move the lifecycle does not allow.
 *
 * @param id        unique across the store and growing (the store revision at which it was created)
 * @param repo      repository name
 * @param commit    the commit to deploy
 * @param previous  the commit that was active when the rollout was created, or {@code null}
 * @param rollback  whether it was created as an explicit rollback (allowed to move backwards along the branch)
 * @param state     where it stands
 * @param createdBy the token name that set the target
 * @param reason    the reason given with the target, or {@code null}
 * @param createdAt when the target was set
 * @param prepared  host -> when the manifest first saw it report the commit prepared
 * @param switched  host -> when the host switched {@code current} to the commit (the host's clock)
 * @param events    the audit history, oldest first
 */
public record Rollout(long id, String repo, String commit, String previous, boolean rollback, RolloutState state,
                      String createdBy, String reason, Instant createdAt, Map<String, Instant> prepared,
                      Map<String, Instant> switched, List<RolloutEvent> events) {

    public Rollout {
        prepared = Map.copyOf(prepared);
        switched = Map.copyOf(switched);
        events = List.copyOf(events);
    }

    static Rollout create(long id, String repo, String commit, String previous, boolean rollback, String actor,
                          String reason, Instant now) {
        RolloutEvent created = new RolloutEvent(now, RolloutAction.CREATED, RolloutState.PREPARING, actor, reason);
        return new Rollout(id, repo, commit, previous, rollback, RolloutState.PREPARING, actor, reason, now,
                Map.of(), Map.of(), List.of(created));
    }

    /** The only way to change state; throws {@link IllegalStateException} for a move the lifecycle forbids. */
    Rollout moveTo(RolloutState next, Instant now, String actor, String reason) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("rollout " + id + " cannot move from " + state + " to " + next);
        }
        return new Rollout(id, repo, commit, previous, rollback, next, createdBy, this.reason, createdAt, prepared,
                switched, append(new RolloutEvent(now, RolloutAction.entering(next), next, actor, reason)));
    }

    /** Records an action that does not change the state, such as a pause. */
    Rollout note(RolloutAction action, Instant now, String actor, String reason) {
        if (action.enters().isPresent()) {
            throw new IllegalArgumentException(action + " changes the state; use moveTo");
        }
        return new Rollout(id, repo, commit, previous, rollback, state, createdBy, this.reason, createdAt, prepared,
                switched, append(new RolloutEvent(now, action, state, actor, reason)));
    }

    Rollout withPrepared(String host, Instant at) {
        if (prepared.containsKey(host)) {
            return this;
        }
        Map<String, Instant> next = new LinkedHashMap<>(prepared);
        next.put(host, at);
        return new Rollout(id, repo, commit, previous, rollback, state, createdBy, reason, createdAt, next, switched,
                events);
    }

    Rollout withSwitched(String host, Instant at) {
        if (switched.containsKey(host)) {
            return this;
        }
        Map<String, Instant> next = new LinkedHashMap<>(switched);
        next.put(host, at);
        return new Rollout(id, repo, commit, previous, rollback, state, createdBy, reason, createdAt, prepared, next,
                events);
    }

    private List<RolloutEvent> append(RolloutEvent event) {
        List<RolloutEvent> next = new ArrayList<>(events);
        next.add(event);
        return next;
    }

    /** When the rollout entered {@code state}, if it ever did. */
    public Optional<Instant> enteredAt(RolloutState wanted) {
        return RolloutEvent.enteredAt(events, wanted);
    }

    /**
     * The operator retry generation: how often an operator asked the hosts to prepare this rollout's commit again
     * after a permanent failure (the {@link RolloutAction#RETRIED} events of its history).
     */
    public long retries() {
        return events.stream().filter(e -> e.action() == RolloutAction.RETRIED).count();
    }

    /** {@code createdAt + prepareDeadline}, when the repository has a prepare deadline ({@code null}: none). */
    public Optional<Instant> deadline(Duration prepareDeadline) {
        return Optional.ofNullable(prepareDeadline).map(createdAt::plus);
    }

    /**
     * Whether it is still PREPARING after its deadline at {@code now}: reported only, it still activates only when
     * every expected host is ready.
     */
    public boolean overdue(Duration prepareDeadline, Instant now) {
        return state == RolloutState.PREPARING && deadline(prepareDeadline).filter(now::isAfter).isPresent();
    }

    /** Time from creation to activation, once activated. */
    public Optional<Duration> prepareDuration() {
        return enteredAt(RolloutState.ACTIVATING).map(at -> Duration.between(createdAt, at));
    }

    /** Time between the first and the last host switching, once at least one switched. */
    public Optional<Duration> switchSkew() {
        return switched.values().stream().min(Instant::compareTo)
                .map(first -> Duration.between(first, switched.values().stream().max(Instant::compareTo).get()));
    }
}

package org.lockstep.manifest.rollout.machine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One attempt to move a repository's active commit. Immutable: every change returns a new instance, and every state
 * change goes through {@link #moveTo}, which refuses a move the lifecycle does not allow. Its size does not grow with
 * the fleet: which host prepared or switched when is in each host's {@link HostEntry}, the rollout keeps the counts.
 *
 * @param id            unique across the store and growing (the store revision at which it was created)
 * @param repo          repository name
 * @param commit        the commit to deploy
 * @param previous      the commit that was active when the rollout was created, or {@code null}
 * @param rollback      whether it was created as an explicit rollback (allowed to move backwards along the branch)
 * @param state         where it stands
 * @param createdBy     the token name that set the target
 * @param reason        the reason given with the target, or {@code null}
 * @param createdAt     when the target was set
 * @param hostsPrepared expected hosts the manifest saw with the commit prepared while the rollout was pending
 * @param hostsSwitched expected hosts seen serving the commit after its activation
 * @param firstSwitchAt the earliest of those switches (host clocks, never before the activation), or {@code null}
 * @param firstSwitched the host that switched at {@code firstSwitchAt}, or {@code null} (also when the first were
 *                      hosts that served the commit before it was activated)
 * @param lastSwitchAt  the latest of them, or {@code null}
 * @param lastSwitched  the host that switched at {@code lastSwitchAt}, or {@code null}
 * @param events        the audit history, oldest first
 * @param requires      the commits of other repositories it waits for before it may activate ({@code activate-after}),
 *                      met or not; empty for a repository listed after nothing, and for a rollout stored before the
 *                      rule existed
 */
public record Rollout(long id, String repo, String commit, String previous, boolean rollback, RolloutState state,
                      String createdBy, String reason, Instant createdAt, int hostsPrepared, int hostsSwitched,
                      Instant firstSwitchAt, String firstSwitched, Instant lastSwitchAt, String lastSwitched,
                      List<RolloutEvent> events, List<Requirement> requires) {

    public Rollout {
        events = List.copyOf(events);
        requires = requires == null ? List.of() : List.copyOf(requires);
    }

    static Rollout create(long id, String repo, String commit, String previous, boolean rollback, String actor,
                          String reason, Instant now, List<Requirement> requires) {
        RolloutEvent created = new RolloutEvent(now, RolloutAction.CREATED, RolloutState.PREPARING, actor, reason);
        return new Rollout(id, repo, commit, previous, rollback, RolloutState.PREPARING, actor, reason, now, 0, 0,
                null, null, null, null, List.of(created), requires);
    }

    /** The only way to change state; throws {@link IllegalStateException} for a move the lifecycle forbids. */
    Rollout moveTo(RolloutState next, Instant now, String actor, String reason) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("rollout " + id + " cannot move from " + state + " to " + next);
        }
        return new Rollout(id, repo, commit, previous, rollback, next, createdBy, this.reason, createdAt,
                hostsPrepared, hostsSwitched, firstSwitchAt, firstSwitched, lastSwitchAt, lastSwitched,
                append(new RolloutEvent(now, RolloutAction.entering(next), next, actor, reason)), requires);
    }

    /** Records an action that does not change the state, such as a pause. */
    Rollout note(RolloutAction action, Instant now, String actor, String reason) {
        if (action.enters().isPresent()) {
            throw new IllegalArgumentException(action + " changes the state; use moveTo");
        }
        return new Rollout(id, repo, commit, previous, rollback, state, createdBy, this.reason, createdAt,
                hostsPrepared, hostsSwitched, firstSwitchAt, firstSwitched, lastSwitchAt, lastSwitched,
                append(new RolloutEvent(now, action, state, actor, reason)), requires);
    }

    /** {@code prepared} hosts prepared; the switches as they are. */
    Rollout withPrepared(int prepared) {
        return new Rollout(id, repo, commit, previous, rollback, state, createdBy, reason, createdAt, prepared,
                hostsSwitched, firstSwitchAt, firstSwitched, lastSwitchAt, lastSwitched, events, requires);
    }

    /** {@code count} hosts switched, the first and the last of them as given. */
    Rollout withSwitches(int count, Instant firstAt, String first, Instant lastAt, String last) {
        return new Rollout(id, repo, commit, previous, rollback, state, createdBy, reason, createdAt, hostsPrepared,
                count, firstAt, first, lastAt, last, events, requires);
    }

    /** One more host seen with the commit prepared. */
    Rollout withOneMorePrepared() {
        return withPrepared(hostsPrepared + 1);
    }

    /** One more host, {@code host}, seen serving the commit, having switched {@code at}. */
    Rollout withOneMoreSwitched(String host, Instant at) {
        boolean first = firstSwitchAt == null || at.isBefore(firstSwitchAt);
        boolean last = lastSwitchAt == null || !at.isBefore(lastSwitchAt);
        return withSwitches(hostsSwitched + 1, first ? at : firstSwitchAt, first ? host : firstSwitched,
                last ? at : lastSwitchAt, last ? host : lastSwitched);
    }

    /**
     * {@code met}'s requirement recorded met {@code now}, with a {@link RolloutAction#REQUIREMENT_MET} event giving
     * {@code reason}; the same rollout when it is not one of its unmet requirements.
     */
    Rollout withRequirementMet(Requirement met, Instant now, String reason) {
        List<Requirement> next = new ArrayList<>();
        boolean changed = false;
        for (Requirement r : requires) {
            boolean meets = !r.satisfied() && r.concerns(met.repo(), met.commit());
            next.add(meets ? r.metAt(now) : r);
            changed |= meets;
        }
        if (!changed) {
            return this;
        }
        return new Rollout(id, repo, commit, previous, rollback, state, createdBy, this.reason, createdAt,
                hostsPrepared, hostsSwitched, firstSwitchAt, firstSwitched, lastSwitchAt, lastSwitched,
                append(new RolloutEvent(now, RolloutAction.REQUIREMENT_MET, state, RolloutEvent.SYSTEM, reason)),
                next);
    }

    /** The requirements not met yet, in the order of {@code activate-after}: while any is left, it cannot activate. */
    public List<Requirement> unmetRequirements() {
        return requires.stream().filter(r -> !r.satisfied()).toList();
    }

    /** Whether its history has an event {@code action}. */
    public boolean recorded(RolloutAction action) {
        return events.stream().anyMatch(e -> e.action() == action);
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

    /**
     * Whether this rollout still waits for a host whose latest report is {@code status} (null: none yet): while
     * PREPARING for one that does not have its commit prepared, while ACTIVATING for one that does not serve it;
     * for nobody once it is over. The rule of the views' {@code waitingFor}, by the same latest reports activation
     * is decided on.
     */
    public boolean waitsFor(HostStatus status) {
        return switch (state) {
            case PREPARING -> status == null || !status.hasPrepared(commit);
            case ACTIVATING -> status == null || !status.serves(commit);
            default -> false;
        };
    }

    /**
     * Whether a host whose latest report is {@code status} holds this rollout back with an error: it waits for the
     * host, and the host reports an error that concerns its commit (or no commit in particular). The views'
     * {@code blockedBy}.
     */
    public boolean blockedBy(HostStatus status) {
        return status != null && waitsFor(status) && status.hasErrorFor(commit);
    }

    /** Time from creation to activation, once activated. */
    public Optional<Duration> prepareDuration() {
        return enteredAt(RolloutState.ACTIVATING).map(at -> Duration.between(createdAt, at));
    }

    /** Time between the first and the last host switching, once at least one switched. */
    public Optional<Duration> switchSkew() {
        return firstSwitchAt == null || lastSwitchAt == null ? Optional.empty()
                : Optional.of(Duration.between(firstSwitchAt, lastSwitchAt));
    }
}

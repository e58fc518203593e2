package org.lockstep.manifest.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.manifest.rollout.machine.RepoState;

/**
 * What an expected host is doing for one repository, as the metrics count it and {@code GET .../hosts?state=} filters
 * by (the names are the API's, lower case). A host can be in several at once (a
 * lagging host that reports an error); counted once, it is in the first that applies, in this order.
 */
public enum HostState {
    /** Not heard from (report or poll) for {@code silent-after}, or never since this instance started. */
    UNSEEN,
    /** Its last report carries an error. */
    FAILING,
    /** The repository has an active commit and the host's {@code current} is another one (or none). */
    LAGGING,
    /** A target is pending and the host has not prepared it yet. */
    PREPARING,
    /** A target is pending and the host has it prepared. */
    PREPARED,
    /** Serves the active commit, nothing pending. */
    SERVING;

    /** The three that need a person's look: these alone get a series per host. */
    public static final Set<HostState> NEED_A_LOOK = EnumSet.of(UNSEEN, FAILING, LAGGING);

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Every state a host is in.
     *
     * @param status the host's latest status, or null when it never reported
     */
    public static EnumSet<HostState> of(RepoState state, HostStatus status, Optional<Instant> lastSeen, Instant now,
                                        Duration silentAfter) {
        EnumSet<HostState> states = EnumSet.noneOf(HostState.class);
        if (lastSeen.isEmpty() || Duration.between(lastSeen.get(), now).compareTo(silentAfter) > 0) {
            states.add(UNSEEN);
        }
        if (status != null && status.error() != null) {
            states.add(FAILING);
        }
        if (state.active() != null && (status == null || !status.serves(state.active()))) {
            states.add(LAGGING);
        }
        Optional<String> target = state.target();
        if (target.isPresent()) {
            states.add(status != null && status.hasPrepared(target.get()) ? PREPARED : PREPARING);
        }
        else if (!states.contains(LAGGING)) {
            states.add(SERVING);
        }
        return states;
    }

    /** The state a host is counted in. */
    public static HostState first(Set<HostState> states) {
        for (HostState state : values()) {
            if (states.contains(state)) {
                return state;
            }
        }
        throw new IllegalArgumentException("no state");
    }
}

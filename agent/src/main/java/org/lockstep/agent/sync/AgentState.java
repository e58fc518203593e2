package org.lockstep.agent.sync;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.lockstep.protocol.DesiredState;

/**
 * What the agent must remember across restarts that the disk layout cannot tell: the newest desired state it acted
 * on (store id and revision) and the active commit of each repository in it, for health while no manifest answers.
 *
 * @param storeId  the manifest store the revision belongs to, or {@code null} before the first desired state
 * @param revision the highest revision acted on
 * @param active   repository name to active commit ({@code ""} before the repository's first activation)
 */
public record AgentState(String storeId, long revision, Map<String, String> active) {

    public static final AgentState NONE = new AgentState(null, 0, Map.of());

    public AgentState {
        active = Map.copyOf(active == null ? Map.of() : active);
    }

    /** How a newly received desired state relates to this one. */
    public enum Verdict {
        /** Same store, same or higher revision: act on it. */
        ACCEPT,
        /** A different store (a rebuilt manifest) or the very first state: act on it and say so loudly. */
        NEW_STORE,
        /** Same store, lower revision: a stale instance or a healed partition; never act on it. */
        STALE
    }

    public Verdict judge(DesiredState desired) {
        if (storeId == null) {
            return Verdict.NEW_STORE;
        }
        if (!storeId.equals(desired.storeId())) {
            return Verdict.NEW_STORE;
        }
        return desired.revision() < revision ? Verdict.STALE : Verdict.ACCEPT;
    }

    public static AgentState of(DesiredState desired) {
        Map<String, String> active = new TreeMap<>();
        for (DesiredState.RepoDesired repo : desired.repos()) {
            active.put(repo.repo(), Objects.requireNonNullElse(repo.active(), ""));
        }
        return new AgentState(desired.storeId(), desired.revision(), active);
    }

    public boolean known() {
        return storeId != null;
    }
}

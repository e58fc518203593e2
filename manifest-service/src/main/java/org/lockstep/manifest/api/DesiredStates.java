package org.lockstep.manifest.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.lockstep.manifest.rollout.RolloutService;
import org.lockstep.protocol.DesiredState;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * The desired state as agents receive it, computed and serialized once per revision and per set of repositories:
 * every host that serves the same repositories gets the same bytes, so answering 2,000 polls after an activation is
 * 2,000 writes of one byte array, not 2,000 reads of the store and 2,000 serializations.
 * <p>
 * An answer is at least as new as the newest revision announced on the change channel (and as the caller asks: a
 * report's own write), so nobody is answered with less than what was announced to them.
 */
@Component
class DesiredStates {

    private final RolloutService rollouts;

    private final JsonMapper json;

    private final Map<List<String>, Answer> answers = new ConcurrentHashMap<>();

    DesiredStates(RolloutService rollouts, JsonMapper json) {
        this.rollouts = rollouts;
        this.json = json;
    }

    /**
     * One answer: a desired state, as JSON.
     *
     * @param revision the revision it is of
     */
    record Answer(long revision, byte[] json) {
    }

    /** What {@code host} must do, as of the newest revision announced or {@code atLeast}, whichever is newer. */
    Answer forHost(String host, long atLeast) {
        List<String> repos = rollouts.reposOf(host);
        long wanted = Math.max(atLeast, rollouts.changes().newestRevision());
        Answer cached = answers.get(repos);
        if (cached != null && cached.revision() >= wanted) {
            return cached;
        }
        DesiredState state = rollouts.desired(repos);
        Answer fresh = new Answer(state.revision(), json.writeValueAsBytes(state));
        answers.merge(repos, fresh, (old, made) -> made.revision() >= old.revision() ? made : old);
        return fresh;
    }

    /** The newest revision announced. */
    long newestRevision() {
        return rollouts.changes().newestRevision();
    }
}

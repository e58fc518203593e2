package org.lockstep.manifest.store;

import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Rollout;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON form in which every store keeps repository states and rollouts. One codec for all stores, so a state
 * written by one can be read by another (and by a person with {@code etcdctl get}).
 */
public final class StateCodec {

    private final JsonMapper json;

    public StateCodec() {
        // A field added later is missing from what older versions wrote: it reads as its default (false, 0, null),
        // so a store never needs migrating by hand.
        this.json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();
    }

    public String write(RepoState state) {
        return json.writeValueAsString(state);
    }

    public String write(Rollout rollout) {
        return json.writeValueAsString(rollout);
    }

    public RepoState readRepo(String text) {
        return json.readValue(text, RepoState.class);
    }

    public Rollout readRollout(String text) {
        return json.readValue(text, Rollout.class);
    }
}

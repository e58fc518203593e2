package org.lockstep.manifest.store;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import org.lockstep.manifest.rollout.machine.HostEntry;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Rollout;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON form in which every store keeps summaries, host entries, expected hosts and rollouts. One codec for all
 * stores, so a value written by one can be read by another (and by a person with {@code etcdctl get}). Unknown fields
 * are ignored, so a value written before a field went away (the per-host maps of round 1) still reads.
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

    public String write(HostEntry entry) {
        return json.writeValueAsString(entry);
    }

    /** Expected hosts, sorted, so that the same set is always the same bytes. */
    public String write(Set<String> hosts) {
        return json.writeValueAsString(new TreeSet<>(hosts));
    }

    public RepoState readRepo(String text) {
        return json.readValue(text, RepoState.class);
    }

    public Rollout readRollout(String text) {
        return json.readValue(text, Rollout.class);
    }

    public HostEntry readHost(String text) {
        return json.readValue(text, HostEntry.class);
    }

    /** An unmodifiable set, as {@link org.lockstep.manifest.rollout.machine.RepoSnapshot} takes it. */
    public Set<String> readHosts(String text) {
        return Set.copyOf(Arrays.asList(json.readValue(text, String[].class)));
    }
}

package org.lockstep.testing.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/** docs/design.md's invariants, checked on what the {@link LinkRecorder} saw against the manifest's rollout history. */
public final class Invariants {

    private final LinkRecorder recorder;

    /** Commit -> the earliest time the manifest made it active. */
    private final Map<String, Instant> activatedAt = new HashMap<>();

    /** {@code rolloutPage}: the manifest's {@code GET /api/v1/repos/{repo}/rollouts} answer. */
    public Invariants(LinkRecorder recorder, JsonNode rolloutPage) {
        this.recorder = recorder;
        for (JsonNode rollout : rolloutPage.get("items")) {
            for (JsonNode event : rollout.get("events")) {
                if (event.get("action").asString().equals("ACTIVATING")) {
                    Instant at = Instant.parse(event.get("at").asString());
                    activatedAt.merge(rollout.get("commit").asString(), at, (a, b) -> a.isBefore(b) ? a : b);
                }
            }
        }
    }

    /**
     * Invariant 1: no host ever pointed {@code current} at a commit before the manifest made it active.
     * Invariant 3: {@code current} and {@code next} never led anywhere but a complete release.
     */
    public void holdOnObservedHistory() {
        assertThat(recorder.violations()).as("links that did not lead to a complete release").isEmpty();
        for (LinkRecorder.Change change : recorder.changes()) {
            if (change.commit() == null || change.commit().equals("(directory)")) {
                continue;
            }
            Instant activation = activatedAt.get(change.commit());
            assertThat(activation).as("%s served %s, which the manifest never activated", change.host(),
                    change.commit()).isNotNull();
            assertThat(change.seenAt()).as("%s served %s before its activation at %s", change.host(),
                    change.commit(), activation).isAfterOrEqualTo(activation);
        }
    }
}

package org.lockstep.testing.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/** docs/design.md's invariants, checked on what the {@link LinkRecorder} saw against the manifest's rollout history. */
public final class Invariants {

    private final LinkRecorder recorder;

    private final List<JsonNode> rollouts;

    private final Map<Long, Map<String, Instant>> preparations;

    /** Commit -> the earliest time the manifest made it active. */
    private final Map<String, Instant> activatedAt = new HashMap<>();

    /** {@code rolloutPage}: one page of the manifest's {@code GET /api/v1/repos/{repo}/rollouts} answer. */
    public Invariants(LinkRecorder recorder, JsonNode rolloutPage) {
        this(recorder, rolloutPage.get("items").valueStream().toList());
    }

    /** {@code rollouts}: the repository's whole rollout history, in any order. */
    public Invariants(LinkRecorder recorder, List<JsonNode> rollouts) {
        this(recorder, rollouts, Map.of());
    }

    /**
     * {@code preparations}: rollout id -> host -> when the manifest saw the host with the rollout's commit prepared,
     * as sampled from {@code GET /api/v1/repos/{repo}/hosts} while the history went (each host's entry keeps only
     * its latest preparation).
     */
    public Invariants(LinkRecorder recorder, List<JsonNode> rollouts, Map<Long, Map<String, Instant>> preparations) {
        this.recorder = recorder;
        this.rollouts = List.copyOf(rollouts);
        this.preparations = Map.copyOf(preparations);
        for (JsonNode rollout : rollouts) {
            activation(rollout).ifPresent(at -> activatedAt.merge(rollout.get("commit").asString(), at,
                    (a, b) -> a.isBefore(b) ? a : b));
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

    /**
     * Invariant 2: every rollout the manifest activated had been reported prepared by every one of {@code hosts}
     * (the expected hosts), each before the activation. The rollout views carry counts, not per-host maps: an
     * activated rollout's {@code hostsPrepared} is how many expected hosts' latest reports had its commit prepared
     * when it was activated, which must be all of them; and every preparation sampled from the hosts endpoint for an
     * activated rollout must come before its activation. At least one activated rollout's preparations must have
     * been sampled for every host, so the timing is checked on the observed history, not assumed.
     */
    public void activationsFollowPreparation(Set<String> hosts) {
        boolean sampledWhole = false;
        for (JsonNode rollout : rollouts) {
            Optional<Instant> activation = activation(rollout);
            if (activation.isEmpty()) {
                continue;
            }
            assertThat(rollout.path("hostsExpected").asInt()).as("rollout %s expected hosts", rollout.get("id"))
                    .isEqualTo(hosts.size());
            assertThat(rollout.path("hostsPrepared").asInt()).as("rollout %s activated with every host prepared",
                    rollout.get("id")).isEqualTo(hosts.size());
            Map<String, Instant> sampled = preparations.getOrDefault(rollout.get("id").asLong(), Map.of());
            for (Map.Entry<String, Instant> prepared : sampled.entrySet()) {
                assertThat(hosts).as("rollout %s prepared by an expected host", rollout.get("id"))
                        .contains(prepared.getKey());
                assertThat(prepared.getValue()).as("%s prepared rollout %s before its activation",
                        prepared.getKey(), rollout.get("id")).isBeforeOrEqualTo(activation.get());
            }
            sampledWhole |= sampled.keySet().containsAll(hosts);
        }
        if (rollouts.stream().anyMatch(r -> activation(r).isPresent())) {
            assertThat(sampledWhole).as("the preparations of at least one activated rollout, sampled for every host")
                    .isTrue();
        }
    }

    /**
     * Invariant 6: the commits the manifest activated, in the order it activated them, follow {@code branchOrder}
     * (the order the commits were made on the branch): active never went back without a rollback.
     */
    public void activeMovesForward(List<String> branchOrder) {
        List<JsonNode> activated = new ArrayList<>(rollouts.stream().filter(r -> activation(r).isPresent())
                .filter(r -> !r.path("rollback").asBoolean()).toList());
        activated.sort(Comparator.comparing(r -> activation(r).orElseThrow()));
        int last = -1;
        for (JsonNode rollout : activated) {
            int index = branchOrder.indexOf(rollout.get("commit").asString());
            assertThat(index).as("activated commit %s is one of the branch's", rollout.get("commit")).isNotNegative();
            assertThat(index).as("rollout %s activated %s after a newer commit", rollout.get("id"),
                    rollout.get("commit")).isGreaterThan(last);
            last = index;
        }
    }

    /**
     * Invariant 2's other half, as the audit history shows it: no rollout was activated twice (two manifest
     * instances racing to apply the last "prepared" report write one activation).
     */
    public void eachRolloutActivatedAtMostOnce() {
        for (JsonNode rollout : rollouts) {
            long activations = rollout.get("events").valueStream()
                    .filter(event -> event.get("action").asString().equals("ACTIVATING")).count();
            assertThat(activations).as("ACTIVATING events of rollout %s (%s)", rollout.get("id"),
                    rollout.get("commit")).isLessThanOrEqualTo(1);
        }
    }

    /**
     * Invariant 6 on what hosts served, for a history without rollbacks: a host only ever moves to a commit
     * activated later than the one it served, never back (nothing flips back after a partition heals).
     */
    public void noHostWentBack() {
        Map<String, Instant> servedUpTo = new HashMap<>();
        for (LinkRecorder.Change change : recorder.changes()) {
            Instant activation = change.commit() == null ? null : activatedAt.get(change.commit());
            if (activation == null) {
                continue; // no link, or never activated: holdOnObservedHistory() judges those
            }
            Instant before = servedUpTo.get(change.host());
            assertThat(before == null || !activation.isBefore(before))
                    .as("%s went back to %s (activated %s) at %s after serving a commit activated %s", change.host(),
                            change.commit(), activation, change.seenAt(), before).isTrue();
            servedUpTo.put(change.host(), activation);
        }
    }

    private static Optional<Instant> activation(JsonNode rollout) {
        for (JsonNode event : rollout.get("events")) {
            if (event.get("action").asString().equals("ACTIVATING")) {
                return Optional.of(Instant.parse(event.get("at").asString()));
            }
        }
        return Optional.empty();
    }
}

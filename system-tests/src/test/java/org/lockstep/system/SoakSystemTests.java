package org.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.lockstep.system.FaultPlan.Fault;
import org.lockstep.testing.fleet.Canary;
import org.lockstep.testing.fleet.Fleet;
import org.lockstep.testing.fleet.Nginx;

import tools.jackson.databind.JsonNode;

/**
 * The soak: rollout after rollout on four hosts, each with a fault drawn at random (agents and the manifest
 * SIGKILLed and SIGSTOPped, the git remote hanging, now and then a hostile commit merged), with a canary reading
 * through every host's nginx (docs/design.md's read-through; IncidentSystemTests and PuppetNginxSystemTests serve
 * the puppet module's own configuration) the whole time. Afterwards docs/design.md's
 * invariants are checked on the recorded history: no host served a commit before its activation (1), every
 * activation followed every host's preparation (2), links always led to complete releases (3), every acknowledged
 * target survived the manifest's crashes (4), every host converged after every fault (5: each step waits for it),
 * active only moved forward along the branch (6). The canary never misses.
 * <p>
 * 100 good rollouts by default (a few minutes); {@code -Dlockstep.soak.rollouts=1000} runs the long variant, whose
 * figures are in docs/reliability.md; {@code -Dlockstep.soak.seed=N} replays a plan.
 */
class SoakSystemTests extends FleetTest {

    @Test
    void rolloutsUnderRandomFaultsKeepEveryInvariantAndTheCanaryNeverMisses() throws IOException {
        int rollouts = Integer.getInteger("lockstep.soak.rollouts", 100);
        long seed = Long.getLong("lockstep.soak.seed", System.nanoTime());
        FaultPlan plan = FaultPlan.of(rollouts, seed);
        System.out.println("soak: " + rollouts + " rollouts, seed " + seed + ", plan " + plan.counts());

        fleet = new Fleet();
        String first = fleet.schemas().addVersion(Soak.SCHEMA, "1.0.0");
        fleet.start().serveWith(Nginx::readThrough);
        fleet.deploy(first);
        Instant started = Instant.now();
        Soak soak = new Soak(fleet, first, seed);
        Canary canary = new Canary(new ArrayList<>(fleet.web().values()), Fleet.REPO, Soak.SCHEMA).start();
        try {
            int step = 0;
            for (Fault fault : plan.steps()) {
                soak.step(fault);
                if (++step % 50 == 0) {
                    System.out.println("soak: step " + step + " of " + plan.steps().size() + ", canary "
                            + canary.requests() + " rounds, " + canary.misses() + " misses");
                }
            }
        }
        finally {
            canary.stop();
        }
        Duration took = Duration.between(started, Instant.now());

        assertThat(canary.misses()).as("canary misses: %s", canary.missed()).isZero();
        assertThat(canary.requests()).as("canary rounds").isGreaterThan(rollouts);
        assertThat(soak.completed()).isEqualTo(rollouts);
        for (Map.Entry<Long, String> ack : soak.acknowledged().entrySet()) {
            JsonNode rollout = fleet.api().get("/api/v1/rollouts/" + ack.getKey()).expect(200).json();
            assertThat(rollout.path("commit").asString()).as("acknowledged rollout %s", ack.getKey())
                    .isEqualTo(ack.getValue());
        }
        var invariants = fleet.invariants();
        invariants.holdOnObservedHistory();
        invariants.activationsFollowPreparation(Set.copyOf(Fleet.HOSTS));
        invariants.activeMovesForward(soak.branchOrder());

        writeFigures(rollouts, seed, soak, canary, took);
    }

    private void writeFigures(int rollouts, long seed, Soak soak, Canary canary, Duration took) throws IOException {
        Path out = Path.of(System.getProperty("lockstep.work.dir", "target")).resolve("soak-figures.txt");
        Files.createDirectories(out.getParent());
        String faults = soak.injected().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> "%s %d (%.1f s each)".formatted(e.getKey().name().toLowerCase().replace('_', '-'),
                        e.getValue(), soak.time().get(e.getKey()).toMillis() / 1000.0 / e.getValue()))
                .collect(Collectors.joining(", "));
        Files.writeString(out, """
                soak on %d hosts, seed %d
                rollouts: %d targets acknowledged, %d good rollouts completed on every host
                faults: %s
                canary: %d rounds, %d misses
                invariants checked on %d link changes seen from outside and %d rollouts of the manifest's history
                time: %d s (%.1f s per rollout)
                """.formatted(Fleet.HOSTS.size(), seed, soak.acknowledged().size(), soak.completed(), faults,
                canary.requests(), canary.misses(), fleet.recorder().changes().size(),
                fleet.api().rolloutHistory(Fleet.REPO).size(), took.toSeconds(),
                took.toMillis() / 1000.0 / soak.acknowledged().size()));
        System.out.println(Files.readString(out));
    }
}

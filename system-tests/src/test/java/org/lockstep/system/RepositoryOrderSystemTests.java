package org.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lockstep.testing.Processes;
import org.lockstep.testing.fleet.CrossRepoConsumer;
import org.lockstep.testing.fleet.Fleet;
import org.lockstep.testing.fleet.Nginx;
import org.lockstep.testing.fleet.SchemaRepo;
import org.lockstep.testing.manifest.Tokens;

import tools.jackson.databind.JsonNode;

/**
 * Two repositories on four hosts, in order (issue 13): {@code secondary}'s schemas {@code $ref} {@code primary}'s
 * by their served URL, and {@code lockstep.manifest.repos.secondary.activate-after=primary} keeps a
 * {@code secondary} commit from going live before the {@code primary} commit it needs is served everywhere.
 * <p>
 * Each rollout adds a {@code primary} schema version and right after it a {@code secondary} version whose schema
 * {@code $ref}s it, while a {@link CrossRepoConsumer} reads {@code secondary}'s latest schema and then the
 * {@code primary} schema it names, each from a random host, through each host's nginx with read-through. One
 * host ({@link #SLOW}) prepares {@code primary} slowly: a {@link PreparationGate} holds its preparation until the
 * consumer has read through the window, the same way in the ordered run and in the control. With the rule the
 * consumer never misses; the control, without it, must miss (else the harness could not see a miss).
 */
class RepositoryOrderSystemTests extends FleetTest {

    static final int ROLLOUTS = 20;

    /** Consumer rounds read while {@link #SLOW}'s {@code primary} preparation is held, per rollout. */
    static final int READS_PER_WINDOW = 40;

    static final String SLOW = "schema2004";

    static final String PRIMARY_SCHEMA = "test-event";

    static final String SECONDARY_SCHEMA = "derived-event";

    private final PreparationGate gate = new PreparationGate();

    @AfterEach
    void removeGate() {
        gate.release();
        gate.remove();
    }

    @Test
    void withActivateAfterTheCrossRepositoryConsumerNeverMisses() throws IOException {
        CrossRepoConsumer consumer = interleavedRollouts(true);
        writeFigures("ordered", consumer);

        assertThat(consumer.requests()).as("consumer rounds").isGreaterThan((long) ROLLOUTS * READS_PER_WINDOW);
        assertThat(consumer.misses()).as("misses with activate-after: %s", consumer.missed()).isZero();
    }

    @Test
    void controlWithoutActivateAfterTheConsumerMissesWhileSecondaryGoesLiveFirst() throws IOException {
        CrossRepoConsumer consumer = interleavedRollouts(false);
        writeFigures("control", consumer);

        assertThat(consumer.misses()).as("misses without activate-after (the harness can see a miss)").isPositive();
    }

    @Test
    void secondaryTargetedWhilePrimaryPreparesActivatesOnlyOncePrimaryIsServedEverywhere() {
        startFleet(true);
        String primary0 = fleet.api().active(Fleet.REPO);
        String secondary0 = fleet.api().active(Fleet.SECONDARY);

        gate.hold();
        String primary = fleet.schemas(Fleet.REPO).addVersion(PRIMARY_SCHEMA, "1.1.0");
        target(Fleet.REPO, primary);
        Awaitility.await("every host but " + SLOW + " prepared primary").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50)).until(() -> fleet.agents().values().stream()
                        .filter(agent -> !agent.host().equals(SLOW))
                        .allMatch(agent -> primary.equals(agent.next(Fleet.REPO).orElse(null))));
        String secondary = fleet.schemas(Fleet.SECONDARY).addVersionReferencing(SECONDARY_SCHEMA, "1.1.0",
                SchemaRepo.servedPath(Fleet.REPO, PRIMARY_SCHEMA, "1.1.0"));
        target(Fleet.SECONDARY, secondary);
        fleet.awaitEveryHostPrepared(Fleet.SECONDARY, secondary);

        // Every host is ready for secondary; it waits for primary, and says so.
        Awaitility.await("secondary's rollout shows what it waits for").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> !waitsFor().isEmpty());
        JsonNode waits = waitsFor();
        assertThat(waits).hasSize(1);
        assertThat(waits.get(0).path("repo").asString()).isEqualTo(Fleet.REPO);
        assertThat(waits.get(0).path("commit").asString()).isEqualTo(primary);
        assertThat(waits.get(0).path("hostsServing").asInt()).isZero();
        assertThat(waits.get(0).path("hostsExpected").asInt()).isEqualTo(Fleet.HOSTS.size());
        Processes.sleep(Duration.ofSeconds(2)); // time enough for a wrong activation to show
        assertThat(fleet.api().active(Fleet.SECONDARY)).as("secondary active while primary prepares")
                .isEqualTo(secondary0);
        assertThat(fleet.api().active(Fleet.REPO)).isEqualTo(primary0);
        assertThat(fleet.everyHostServes(Fleet.SECONDARY, secondary0)).isTrue();

        gate.release();
        AtomicBoolean primaryEverywhere = new AtomicBoolean();
        Awaitility.await("secondary active").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    if (!secondary.equals(fleet.api().active(Fleet.SECONDARY))) {
                        return false;
                    }
                    primaryEverywhere.set(fleet.everyHostServes(Fleet.REPO, primary)); // hosts never go back
                    return true;
                });
        assertThat(primaryEverywhere).as("every host served primary when secondary became active").isTrue();
        fleet.awaitEveryHostServes(Fleet.SECONDARY, secondary, Duration.ofSeconds(60));
        fleet.awaitRolloutState(Fleet.SECONDARY, secondary, "COMPLETE", Duration.ofSeconds(30));

        // Each step is in the audit history, in this order.
        Instant primaryCreated = event(Fleet.REPO, primary, "CREATED");
        Instant secondaryCreated = event(Fleet.SECONDARY, secondary, "CREATED");
        Instant primaryActivating = event(Fleet.REPO, primary, "ACTIVATING");
        Instant primaryComplete = event(Fleet.REPO, primary, "COMPLETE");
        Instant secondaryActivating = event(Fleet.SECONDARY, secondary, "ACTIVATING");
        Instant secondaryComplete = event(Fleet.SECONDARY, secondary, "COMPLETE");
        assertThat(secondaryCreated).as("secondary targeted while primary prepared").isAfter(primaryCreated)
                .isBefore(primaryActivating);
        assertThat(secondaryActivating).as("secondary activated once primary was complete")
                .isAfterOrEqualTo(primaryComplete).isAfter(primaryActivating);
        assertThat(secondaryComplete).isAfterOrEqualTo(secondaryActivating);
        JsonNode done = fleet.rollout(Fleet.SECONDARY, secondary).orElseThrow();
        assertThat(done.path("waitsFor")).as("waitsFor once active: %s", done).isEmpty();
        checkInvariants();
    }

    /** {@link #ROLLOUTS} rollouts of both repositories, the consumer reading throughout; returns it, stopped. */
    private CrossRepoConsumer interleavedRollouts(boolean ordered) {
        startFleet(ordered);
        CrossRepoConsumer consumer = new CrossRepoConsumer(new ArrayList<>(fleet.web().values()), Fleet.SECONDARY,
                SECONDARY_SCHEMA).start();
        try {
            for (int i = 1; i <= ROLLOUTS; i++) {
                rollout("1.0." + i, ordered, consumer);
            }
        }
        finally {
            consumer.stop();
        }
        checkInvariants();
        return consumer;
    }

    /**
     * A {@code primary} version and, right after it, a {@code secondary} version that {@code $ref}s it, with
     * {@link #SLOW}'s {@code primary} preparation held until {@code secondary} either went live (the control) or
     * shows that it waits (the rule), and the consumer has read {@link #READS_PER_WINDOW} rounds meanwhile.
     */
    private void rollout(String version, boolean ordered, CrossRepoConsumer consumer) {
        gate.hold();
        String primary = fleet.schemas(Fleet.REPO).addVersion(PRIMARY_SCHEMA, version);
        String secondary = fleet.schemas(Fleet.SECONDARY).addVersionReferencing(SECONDARY_SCHEMA, version,
                SchemaRepo.servedPath(Fleet.REPO, PRIMARY_SCHEMA, version));
        target(Fleet.REPO, primary);
        target(Fleet.SECONDARY, secondary);
        Awaitility.await("secondary " + version + " live or waiting").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> fleet.everyHostServes(Fleet.SECONDARY, secondary) || !waitsFor().isEmpty());
        long seen = consumer.requests();
        Awaitility.await("consumer reads").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> consumer.requests() >= seen + READS_PER_WINDOW);
        if (ordered) {
            assertThat(fleet.api().active(Fleet.SECONDARY)).as("secondary %s active before primary", version)
                    .isNotEqualTo(secondary);
        }
        gate.release();
        fleet.awaitEveryHostServes(Fleet.REPO, primary, Duration.ofSeconds(60));
        fleet.awaitEveryHostServes(Fleet.SECONDARY, secondary, Duration.ofSeconds(60));
    }

    /**
     * Four hosts serving both repositories with read-through, the first versions deployed. docs/design.md's
     * read-through snippet, not the puppet module's rendering: that costs a puppet run per repository and host (half
     * a minute per fleet here), and PuppetNginxSystemTests and IncidentSystemTests serve it already.
     */
    private void startFleet(boolean ordered) {
        fleet = new Fleet(Fleet.Layout.oneManifest(Fleet.HOSTS, manifest -> {
            if (ordered) {
                manifest.repoProperty(Fleet.SECONDARY, "activate-after[0]", Fleet.REPO);
            }
        }).repository(Fleet.SECONDARY).agents((host, agent) -> {
            if (host.equals(SLOW)) {
                agent.repoProperty(Fleet.REPO, "verify-command", gate.verifyCommand());
            }
        }));
        String primary = fleet.schemas(Fleet.REPO).addVersion(PRIMARY_SCHEMA, "1.0.0");
        String secondary = fleet.schemas(Fleet.SECONDARY).addVersionReferencing(SECONDARY_SCHEMA, "1.0.0",
                SchemaRepo.servedPath(Fleet.REPO, PRIMARY_SCHEMA, "1.0.0"));
        fleet.start().serveWith(Nginx::readThrough);
        fleet.deploy(Fleet.REPO, primary);
        fleet.deploy(Fleet.SECONDARY, secondary);
    }

    private void target(String repo, String commit) {
        fleet.api().setTarget(Tokens.CI, repo, commit, "repository order").expect(202);
    }

    /** {@code waitsFor} of secondary's pending rollout; empty when nothing is pending or nothing waits. */
    private JsonNode waitsFor() {
        return fleet.api().repo(Fleet.SECONDARY).path("rollout").path("waitsFor");
    }

    /** When the rollout of {@code commit} recorded {@code action} in its audit history. */
    private Instant event(String repo, String commit, String action) {
        JsonNode rollout = fleet.rollout(repo, commit).orElseThrow();
        for (JsonNode event : rollout.path("events")) {
            if (action.equals(event.path("action").asString())) {
                return Instant.parse(event.path("at").asString());
            }
        }
        throw new AssertionError("no " + action + " in the history of " + repo + " " + commit + ": " + rollout);
    }

    /** docs/design.md's invariants, for each repository on its own. */
    private void checkInvariants() {
        for (String repo : fleet.repos()) {
            var invariants = fleet.invariants(repo);
            invariants.holdOnObservedHistory();
            invariants.activationsFollowPreparation(Set.copyOf(Fleet.HOSTS));
        }
    }

    private static void writeFigures(String run, CrossRepoConsumer consumer) throws IOException {
        Path out = Path.of(System.getProperty("lockstep.work.dir", "target"))
                .resolve("repository-order-figures-" + run + ".txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, """
                %s run: %d interleaved rollouts of primary and secondary on %d hosts, %s's primary held %d \
                consumer rounds per rollout
                cross-repository consumer: %d rounds, %d misses
                """.formatted(run, ROLLOUTS, Fleet.HOSTS.size(), SLOW, READS_PER_WINDOW, consumer.requests(),
                consumer.misses()));
        System.out.println(Files.readString(out));
    }
}

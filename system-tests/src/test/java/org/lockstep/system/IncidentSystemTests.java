package org.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.lockstep.testing.Processes;
import org.lockstep.testing.agent.AgentProcess;
import org.lockstep.testing.fleet.Canary;
import org.lockstep.testing.fleet.Fleet;
import org.lockstep.testing.fleet.Nginx;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.Tokens;

/**
 * The incident, replayed: a canary producer learns {@code latest} from a random host, and a consumer asks a random
 * host for exactly that version. Each of 20 deployments lets one host lag a second behind the others (frozen with
 * SIGSTOP right as the activation happens), the window in which the real fleet lost an event. With read-through,
 * served through exactly the nginx configuration the puppet module renders, the canary must never miss; the control
 * run serves {@code current} only, with the same faults, and counts its misses.
 */
class IncidentSystemTests {

    static final int DEPLOYMENTS = 20;

    static final Duration LAG = Duration.ofSeconds(1);

    @Test
    void readThroughNeverMissesWhileServingCurrentOnlyDoes() throws Exception {
        Canary readThrough = replay(Fleet::serveWithPuppetConfig);
        Canary control = replay(fleet -> fleet.serveWith(Nginx::currentOnly));
        writeFigures(readThrough, control);

        assertThat(readThrough.requests()).as("canary rounds with read-through").isGreaterThan(DEPLOYMENTS * 10);
        assertThat(readThrough.misses()).as("misses with read-through: %s", readThrough.missed()).isZero();
        assertThat(control.misses()).as("misses serving current only (the harness can see a miss)")
                .isPositive();
    }

    /** Runs the deployments with the canary hot; {@code serving} puts nginx in front of the hosts. */
    private Canary replay(Consumer<Fleet> serving) throws Exception {
        try (Fleet fleet = new Fleet()) {
            fleet.schemas().addVersion("test-event", "1.0.0");
            String first = fleet.schemas().addVersion("test-event", "1.0.1");
            serving.accept(fleet.start());
            fleet.deploy(first);
            Canary canary = new Canary(new ArrayList<>(fleet.web().values()), Fleet.REPO, "test-event").start();
            Random random = new Random(42);
            try {
                for (int i = 2; i < DEPLOYMENTS + 2; i++) {
                    deployWithOneLaggingHost(fleet, fleet.schemas().addVersion("test-event", "1.0." + i), random);
                }
            }
            finally {
                canary.stop();
            }
            fleet.invariants().holdOnObservedHistory();
            return canary;
        }
    }

    /** Pause, let every host prepare, freeze one, resume (activation), let it lag, thaw, wait for all. */
    private static void deployWithOneLaggingHost(Fleet fleet, String commit, Random random) {
        ManifestApi api = fleet.api();
        api.action(Tokens.OPERATOR, Fleet.REPO, "pause", "replay").expect(200);
        api.setTarget(Tokens.CI, Fleet.REPO, commit, "replay").expect(202);
        fleet.awaitEveryHostPrepared(commit);
        AgentProcess laggard = new ArrayList<>(fleet.agents().values()).get(random.nextInt(fleet.agents().size()));
        laggard.freeze();
        try {
            api.action(Tokens.OPERATOR, Fleet.REPO, "resume", "replay").expect(200);
            Processes.sleep(LAG);
        }
        finally {
            laggard.thaw();
        }
        fleet.awaitEveryHostServes(commit, Duration.ofSeconds(60));
    }

    private static void writeFigures(Canary readThrough, Canary control) throws IOException {
        Path out = Path.of(System.getProperty("lockstep.work.dir", "target")).resolve("consistency-figures.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, """
                deployments per run: %d, one host lagging %d ms per deployment
                read-through (current, then next): %d canary rounds, %d misses
                current only (control):           %d canary rounds, %d misses
                """.formatted(DEPLOYMENTS, LAG.toMillis(), readThrough.requests(), readThrough.misses(),
                control.requests(), control.misses()));
        System.out.println(Files.readString(out));
    }
}

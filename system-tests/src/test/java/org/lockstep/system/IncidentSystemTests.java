package org.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.lockstep.testing.Http;
import org.lockstep.testing.Processes;
import org.lockstep.testing.agent.AgentProcess;
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

    private static final Pattern VERSION = Pattern.compile("\\$id: /test-event/(\\S+)");

    @Test
    void readThroughNeverMissesWhileServingCurrentOnlyDoes() throws Exception {
        Canary readThrough = replay(Fleet::serveWithPuppetConfig);
        Canary control = replay(fleet -> fleet.serveWith(Nginx::currentOnly));
        writeFigures(readThrough, control);

        assertThat(readThrough.requests.get()).as("canary rounds with read-through").isGreaterThan(DEPLOYMENTS * 10);
        assertThat(readThrough.misses.get()).as("misses with read-through").isZero();
        assertThat(control.misses.get()).as("misses serving current only (the harness can see a miss)")
                .isPositive();
    }

    /** Runs the deployments with the canary hot; {@code serving} puts nginx in front of the hosts. */
    private Canary replay(Consumer<Fleet> serving) throws Exception {
        try (Fleet fleet = new Fleet()) {
            fleet.schemas().addVersion("test-event", "1.0.0");
            String first = fleet.schemas().addVersion("test-event", "1.0.1");
            serving.accept(fleet.start());
            fleet.deploy(first);
            Canary canary = new Canary(new ArrayList<>(fleet.web().values()));
            canary.start();
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
                """.formatted(DEPLOYMENTS, LAG.toMillis(), readThrough.requests.get(), readThrough.misses.get(),
                control.requests.get(), control.misses.get()));
        System.out.println(Files.readString(out));
    }

    /** The producer and consumer of the incident, looping as fast as they can. */
    private static final class Canary {

        final AtomicLong requests = new AtomicLong();

        final AtomicLong misses = new AtomicLong();

        private final List<Nginx> hosts;

        private final AtomicBoolean running = new AtomicBoolean(true);

        private final Thread thread = new Thread(this::loop, "canary");

        Canary(List<Nginx> hosts) {
            this.hosts = hosts;
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }

        private void loop() {
            Random random = new Random();
            while (running.get()) {
                Nginx producer = hosts.get(random.nextInt(hosts.size()));
                Http.Fetched latest = producer.get("/repositories/primary/jsonschema/test-event/latest");
                Matcher version = VERSION.matcher(latest.body());
                if (latest.status() != 200 || !version.find()) {
                    misses.incrementAndGet(); // not even latest: also a failed request
                    requests.incrementAndGet();
                    continue;
                }
                Nginx consumer = hosts.get(random.nextInt(hosts.size()));
                Http.Fetched schema = consumer.get("/repositories/primary/jsonschema/test-event/" + version.group(1));
                requests.incrementAndGet();
                if (schema.status() != 200) {
                    misses.incrementAndGet();
                }
            }
        }
    }
}

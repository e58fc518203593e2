package org.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.lockstep.testing.Dirs;
import org.lockstep.testing.Processes;
import org.lockstep.testing.agent.AgentProcess;
import org.lockstep.testing.fleet.Fleet;
import org.lockstep.testing.fleet.Nginx;

/**
 * The load balancer's check, {@code /lockstep/health}, through exactly the nginx configuration the puppet module
 * renders, answered from the lease the real agent keeps: what LVS sees when a host is rebuilt, when the manifest is
 * down, and when an agent dies.
 */
class LoadBalancerCheckSystemTests extends FleetTest {

    private static final String CHECK = "/lockstep/health";

    private static final Duration LAG_GRACE = Duration.ofSeconds(2);

    private static final Duration POOL_LEASE = Duration.ofSeconds(10);

    @Test
    void aRebuiltHostIsOutUntilItCaughtUpAManifestOutageDepoolsNobodyAndADeadAgentsLeaseRunsOut() {
        fleet = new Fleet(List.of("schema1003", "schema1004"));
        fleet.agents().values().forEach(agent -> agent.arguments(
                "--lockstep.agent.lag-grace=" + LAG_GRACE.toSeconds() + "s",
                "--lockstep.agent.pool-lease=" + POOL_LEASE.toSeconds() + "s"));
        fleet.serveWithPuppetConfig();
        String first = fleet.startWithFirstVersionDeployed();
        Nginx steady = fleet.web().get("schema1003");
        Nginx rebuilt = fleet.web().get("schema1004");
        awaitCheck(steady, 200);
        awaitCheck(rebuilt, 200);
        assertThat(steady.get(CHECK).body()).isEqualTo("in the pool\n");

        // schema1004 is rebuilt: an empty disk. Its agent is held inside the fetch of the active commit.
        AgentProcess agent = fleet.agent("schema1004");
        agent.kill();
        wipe(agent);
        agent.startHeldAt("fetch");
        agent.awaitLog("event=hold-reached point=fetch", Duration.ofSeconds(60));
        assertThat(agent.current()).isEmpty();
        Path status = agent.baseDir().resolve(".lb-check/status");
        Awaitility.await("the agent's verdict").atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(status) && Files.readString(status).contains("primary serves nothing"));
        for (Instant until = Instant.now().plus(LAG_GRACE.multipliedBy(2)); Instant.now().isBefore(until); ) {
            assertThat(rebuilt.get(CHECK).status()).as("an empty host is out, past lag-grace too").isEqualTo(503);
            assertThat(steady.get(CHECK).status()).as("the rest of the fleet stays in").isEqualTo(200);
            Processes.sleep(Duration.ofMillis(200));
        }
        assertThat(rebuilt.get("/repositories/").status()).as("the old check URL still answers").isEqualTo(200);

        agent.kill();
        agent.start();
        fleet.awaitEveryHostServes(first, Duration.ofSeconds(60));
        awaitCheck(rebuilt, 200);

        // No manifest anywhere: every host serves what it has and stays in, well past lag-grace and the lease.
        fleet.manifest().kill();
        for (Instant until = Instant.now().plus(POOL_LEASE.plusSeconds(2)); Instant.now().isBefore(until); ) {
            assertThat(steady.get(CHECK).status()).as("manifest down").isEqualTo(200);
            assertThat(rebuilt.get(CHECK).status()).as("manifest down").isEqualTo(200);
            Processes.sleep(Duration.ofMillis(250));
        }

        // A dead agent: the host keeps its lease for pool-lease (a restart must not depool), then goes out.
        AgentProcess dying = fleet.agent("schema1003");
        dying.kill();
        Instant killed = Instant.now();
        assertThat(steady.get(CHECK).status()).as("right after the agent died").isEqualTo(200);
        Awaitility.await("the dead agent's lease runs out").atMost(POOL_LEASE.multipliedBy(3))
                .pollInterval(Duration.ofMillis(200)).until(() -> steady.get(CHECK).status() == 503);
        Duration kept = Duration.between(killed, Instant.now());
        assertThat(kept).as("kept for the lease (renewed up to a second before the kill), less than lease + window")
                .isBetween(POOL_LEASE.minusSeconds(1), POOL_LEASE.plusSeconds(10 + 1));
        assertThat(rebuilt.get(CHECK).status()).as("the other host's agent lives").isEqualTo(200);
        assertThat(steady.get("/repositories/primary/jsonschema/test-event/1.0.0").status())
                .as("out of the pool, the host still serves").isEqualTo(200);
    }

    private static void awaitCheck(Nginx web, int status) {
        Awaitility.await("check answers " + status).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> web.get(CHECK).status() == status);
    }

    /**
     * What a rebuilt host has: nothing under its base-dir. The links go first, so nothing ever points at a
     * half-deleted release; the base-dir itself stays, as the package (or puppet) made it.
     */
    private static void wipe(AgentProcess agent) {
        Dirs.delete(agent.repoDir().resolve("current"));
        Dirs.delete(agent.repoDir().resolve("next"));
        try (Stream<Path> children = Files.list(agent.baseDir())) {
            children.toList().forEach(Dirs::delete);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

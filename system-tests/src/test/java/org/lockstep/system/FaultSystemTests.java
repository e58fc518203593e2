package org.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.lockstep.testing.Dirs;
import org.lockstep.testing.Processes;
import org.lockstep.testing.agent.AgentProcess;
import org.lockstep.testing.fleet.Fleet;
import org.lockstep.testing.manifest.Tokens;

/** Real processes killed with SIGKILL or frozen with SIGSTOP; the fleet must converge with no operator action. */
class FaultSystemTests extends FleetTest {

    @Test
    void agentKilledWhilePreparingHoldsActivationAndEveryoneConvergesAfterItsRestart() {
        fleet = new Fleet();
        String first = fleet.startWithFirstVersionDeployed();

        AgentProcess victim = fleet.agent("schema1004");
        victim.kill();
        victim.startHeldAt("materialize");
        String second = fleet.schemas().addVersion("test-event", "1.1.0");
        fleet.api().setTarget(Tokens.CI, Fleet.REPO, second, "during a crash").expect(202);
        Awaitility.await("agent holds in materialize").atMost(Duration.ofSeconds(60))
                .until(() -> victim.logText().contains("event=hold-reached point=materialize"));
        victim.kill();

        Processes.sleep(Duration.ofSeconds(3));
        assertThat(fleet.rolloutState(second)).as("nothing activates while a host is down").isEqualTo("PREPARING");
        assertThat(fleet.agents().values()).allMatch(a -> first.equals(a.current().orElse(null)));

        victim.start();
        fleet.awaitEveryHostServes(second, Duration.ofSeconds(60));
        List<String> releases = releaseNames(victim);
        assertThat(releases).as("no half-written release is left").noneMatch(n -> n.startsWith(".tmp-"));
        assertThat(releases).as("every release there is complete: it has the agent's marker")
                .allMatch(n -> n.startsWith(".") || releases.contains("." + n + ".complete"));
        fleet.invariants().holdOnObservedHistory();
    }

    @Test
    void manifestKilledRightAfterActivationIsDecidedAndEveryHostConvergesToTheSameCommitAfterRestart() {
        fleet = new Fleet();
        String first = fleet.startWithFirstVersionDeployed();

        fleet.api().action(Tokens.OPERATOR, Fleet.REPO, "pause", "set up the crash").expect(200);
        String second = fleet.schemas().addVersion("test-event", "1.1.0");
        fleet.api().setTarget(Tokens.CI, Fleet.REPO, second, "crash after activation").expect(202);
        fleet.awaitEveryHostPrepared(second);
        List<AgentProcess> frozen = List.of(fleet.agent("schema1004"), fleet.agent("schema2003"),
                fleet.agent("schema2004"));
        frozen.forEach(AgentProcess::freeze);

        // Resuming activates at once (every host is ready); the manifest dies right after answering.
        fleet.api().action(Tokens.OPERATOR, Fleet.REPO, "resume", "go").expect(200);
        fleet.manifest().kill();
        frozen.forEach(AgentProcess::thaw);

        // With no manifest, a host serves the old commit or the activated one, nothing else (a frozen host may
        // still read the answer to its poll from its socket buffer: the activation was decided before the crash).
        Processes.sleep(Duration.ofSeconds(3));
        assertThat(fleet.agents().values()).allMatch(a -> List.of(first, second).contains(a.current().orElse("")));

        fleet.manifest().start();
        fleet.awaitEveryHostServes(second, Duration.ofSeconds(60));
        assertThat(fleet.api().active(Fleet.REPO)).isEqualTo(second);
        fleet.awaitRolloutState(second, "COMPLETE", Duration.ofSeconds(30));
        fleet.invariants().holdOnObservedHistory();
    }

    @Test
    void hostThatJoinsWithAnEmptyDiskCatchesUpAndIsUnhealthyUntilItHas() {
        fleet = new Fleet(List.of("schema1003", "schema1004"));
        String first = fleet.startWithFirstVersionDeployed();

        AgentProcess rebuilt = fleet.agent("schema1004");
        rebuilt.kill();
        // A rebuilt host: links first (as a wiped disk has none), then everything else.
        Dirs.delete(rebuilt.repoDir().resolve("current"));
        Dirs.delete(rebuilt.repoDir().resolve("next"));
        Dirs.delete(rebuilt.baseDir());
        // Hold the host's fetch back, so the time it lags is long enough to observe from outside.
        fleet.daemon().process().pause();
        try {
            rebuilt.start();
            Awaitility.await("rebuilt host answers health").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100)).until(() -> rebuilt.health() != -1);
            assertThat(rebuilt.health()).as("health while lagging").isEqualTo(503);
            assertThat(rebuilt.current()).isEmpty();
        }
        finally {
            fleet.daemon().process().resume();
        }
        fleet.awaitEveryHostServes(first, Duration.ofSeconds(60));
        Awaitility.await("healthy once caught up").atMost(Duration.ofSeconds(30))
                .until(() -> rebuilt.health() == 200);
        fleet.invariants().holdOnObservedHistory();
    }

    private static List<String> releaseNames(AgentProcess agent) {
        try (Stream<Path> list = Files.list(agent.repoDir().resolve("releases"))) {
            return list.map(p -> p.getFileName().toString()).toList();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

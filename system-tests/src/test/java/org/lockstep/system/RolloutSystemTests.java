package org.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.lockstep.testing.Processes;
import org.lockstep.testing.Trees;
import org.lockstep.testing.agent.AgentProcess;
import org.lockstep.testing.fleet.Fleet;
import org.lockstep.testing.manifest.Tokens;

/** Rollouts across four real agents, checked on the links they leave on disk. */
class RolloutSystemTests extends FleetTest {

    @Test
    void everyHostEndsOnEachDeployedCommitWithExactlyTheTreeOfGitArchive() {
        fleet = new Fleet();
        String first = fleet.startWithFirstVersionDeployed();
        String second = fleet.schemas().addVersion("test-event", "1.1.0");
        fleet.deploy(second);

        Path reference = fleet.root().resolve("archive-" + second);
        fleet.schemas().archive(second, reference);
        for (AgentProcess agent : fleet.agents().values()) {
            Trees.assertSameTree(reference, agent.repoDir().resolve("current"));
        }
        fleet.awaitRolloutState(second, "COMPLETE", Duration.ofSeconds(30));
        assertThat(fleet.rolloutState(first)).isEqualTo("COMPLETE");
        fleet.invariants().holdOnObservedHistory();
    }

    @Test
    void newerTargetWhileHostsArePreparingSupersedesTheOlderOneWhichNeverActivates() {
        fleet = new Fleet();
        String first = fleet.startWithFirstVersionDeployed();

        AgentProcess slow = fleet.agent("schema2004");
        slow.freeze(); // this host cannot prepare anything while frozen
        String older = fleet.schemas().addVersion("test-event", "1.1.0");
        fleet.api().setTarget(Tokens.CI, Fleet.REPO, older, "older").expect(202);
        String newer = fleet.schemas().addVersion("test-event", "1.2.0");
        fleet.api().setTarget(Tokens.CI, Fleet.REPO, newer, "newer").expect(202);
        slow.thaw();

        fleet.awaitEveryHostServes(newer, Duration.ofSeconds(60));
        assertThat(fleet.rolloutState(older)).isEqualTo("SUPERSEDED");
        assertThat(fleet.recorder().changes()).noneMatch(c -> older.equals(c.commit()));
        fleet.invariants().holdOnObservedHistory();
    }

    @Test
    void operatorRollsBackAndPauseHoldsActivationUntilResume() {
        fleet = new Fleet();
        String first = fleet.startWithFirstVersionDeployed();
        String second = fleet.schemas().addVersion("test-event", "1.1.0");
        fleet.deploy(second);

        fleet.api().setTarget(Tokens.CI, Fleet.REPO, first, "back").expect(409);
        fleet.api().rollback(Tokens.CI, Fleet.REPO, first, "ci may not").expect(403);
        fleet.api().rollback(Tokens.OPERATOR, Fleet.REPO, first, "bad schema").expect(202);
        fleet.awaitEveryHostServes(first, Duration.ofSeconds(60));

        fleet.api().action(Tokens.OPERATOR, Fleet.REPO, "pause", "freeze window").expect(200);
        String third = fleet.schemas().addVersion("test-event", "1.2.0");
        fleet.api().setTarget(Tokens.CI, Fleet.REPO, third, "during pause").expect(202);
        fleet.awaitEveryHostPrepared(third);
        Processes.sleep(Duration.ofSeconds(2));
        assertThat(fleet.api().active(Fleet.REPO)).as("active while paused").isEqualTo(first);
        assertThat(fleet.agents().values()).allMatch(a -> first.equals(a.current().orElse(null)));

        fleet.api().action(Tokens.OPERATOR, Fleet.REPO, "resume", "window over").expect(200);
        fleet.awaitEveryHostServes(third, Duration.ofSeconds(60));
        fleet.invariants().holdOnObservedHistory();
    }
}

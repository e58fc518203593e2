package org.lockstep.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.agent.config.AgentProperties;
import org.lockstep.agent.release.Links;
import org.lockstep.agent.release.Markers;
import org.lockstep.agent.release.RepoLayout;
import org.lockstep.agent.sync.AgentState;
import org.lockstep.agent.sync.AgentStateFile;
import org.lockstep.testing.MovingClock;

/** The load balancer's verdict on a real disk layout, with the clock moved by hand. */
class PoolCheckTests {

    static final String A = "0123456789abcdef0123456789abcdef01234567";

    static final String B = "89abcdef0123456789abcdef0123456789abcdef";

    static final Duration GRACE = Duration.ofSeconds(5);

    @TempDir
    Path base;

    RepoLayout primary;

    RepoLayout secondary;

    AgentStateFile state;

    MovingClock clock = new MovingClock(Instant.parse("2026-11-26T12:47:03.250Z"));

    @BeforeEach
    void twoRepositoriesWithReleasesOfAAndB() throws Exception {
        primary = RepoLayout.of(base, "primary");
        secondary = RepoLayout.of(base, "secondary");
        for (RepoLayout layout : List.of(primary, secondary)) {
            Files.createDirectories(layout.release(A));
            Files.createDirectories(layout.release(B));
            // Releases count only with the agent's marker; as an agent from before markers left them, marked once.
            Markers.ensureMarked(layout);
        }
        state = new AgentStateFile(base);
    }

    @Test
    void beforeAnyDesiredStateTheHostServesWhatItHasUnlessItHasNothing() throws Exception {
        Links.point(primary.current(), A);
        PoolVerdict verdict = check().evaluate();
        assertThat(verdict.inPool()).isFalse();
        assertThat(verdict.reason()).contains("secondary has nothing to serve");
        Links.point(secondary.current(), B);
        assertThat(check().evaluate().inPool()).as("no manifest answered yet, but both serve something").isTrue();
    }

    @Test
    void aLagThatStartsWhileTheAgentWatchesIsGivenTheGraceThenTakesTheHostOut() throws Exception {
        serve(A, A);
        state.write(new AgentState("s", 1, Map.of("primary", A, "secondary", A)));
        PoolCheck check = check();
        assertThat(check.evaluate().inPool()).isTrue();

        state.write(new AgentState("s", 2, Map.of("primary", B, "secondary", A)));
        PoolVerdict switching = check.evaluate();
        assertThat(switching.inPool()).as("the switch window").isTrue();
        assertThat(switching.reason()).contains("switch window");
        assertThat(switching.repos().get("primary").lagging()).isTrue();
        clock.move(GRACE);
        assertThat(check.evaluate().inPool()).as("exactly lag-grace: still in").isTrue();
        assertThat(check.evaluate().repos().get("primary").behind()).isEqualTo(GRACE);
        clock.move(Duration.ofMillis(1));
        PoolVerdict lagging = check.evaluate();
        assertThat(lagging.inPool()).isFalse();
        assertThat(lagging.reason()).contains("primary has not served its active commit " + B)
                .contains("longer than lag-grace 5s").doesNotContain("secondary");

        Links.point(primary.current(), B);
        PoolVerdict caughtUp = check.evaluate();
        assertThat(caughtUp.inPool()).isTrue();
        assertThat(caughtUp.repos().get("primary").lagging()).isFalse();
        assertThat(caughtUp.repos().get("primary").behind()).isZero();
    }

    @Test
    void aLagFoundWhenTheAgentStartsTakesTheHostOutAtOnce() throws Exception {
        serve(A, A);
        state.write(new AgentState("s", 2, Map.of("primary", B, "secondary", A)));
        PoolVerdict verdict = check().evaluate();
        assertThat(verdict.inPool()).isFalse();
        assertThat(verdict.reason()).contains("primary does not serve its active commit " + B)
                .contains("did not when the agent started");
    }

    @Test
    void aHostThatJoinsWithAnEmptyDiskIsOutUntilItServesEveryActiveCommit() throws Exception {
        state.write(new AgentState("s", 1, Map.of("primary", A, "secondary", B)));
        PoolCheck check = check();
        PoolVerdict empty = check.evaluate();
        assertThat(empty.inPool()).isFalse();
        assertThat(empty.reason()).contains("primary serves nothing").contains("secondary serves nothing");
        clock.move(Duration.ofMinutes(5));
        Links.point(primary.current(), A);
        assertThat(check.evaluate().inPool()).as("secondary still serves nothing").isFalse();
        Links.point(secondary.current(), B);
        assertThat(check.evaluate().inPool()).isTrue();
    }

    @Test
    void aRepositoryWithoutAnActiveCommitYetNeverTakesTheHostOut() throws Exception {
        Links.point(primary.current(), A);
        state.write(new AgentState("s", 1, Map.of("primary", A, "secondary", "")));
        PoolCheck check = check();
        assertThat(check.evaluate().inPool()).as("secondary has nothing, and nothing is active").isTrue();
        // Its first activation: every host has it prepared, none has switched yet. Not the whole fleet out.
        state.write(new AgentState("s", 2, Map.of("primary", A, "secondary", B)));
        assertThat(check.evaluate().inPool()).isTrue();
        clock.move(GRACE.plusSeconds(1));
        assertThat(check.evaluate().inPool()).as("but not for longer than the grace").isFalse();
    }

    @Test
    void aRepositoryTheManifestDoesNotExpectHereDoesNotCount() throws Exception {
        Links.point(primary.current(), A);
        state.write(new AgentState("s", 1, Map.of("primary", A)));
        PoolVerdict verdict = check().evaluate();
        assertThat(verdict.inPool()).isTrue();
        assertThat(verdict.repos()).containsOnlyKeys("primary");
    }

    @Test
    void withTheManifestUnreachableARestartedAgentJudgesByThePersistedState() throws Exception {
        serve(A, B);
        state.write(new AgentState("s", 7, Map.of("primary", A, "secondary", B)));
        // A new process, a new state file reader: what a restart sees while no manifest answers.
        PoolCheck restarted = new PoolCheck(properties(), new AgentStateFile(base), clock);
        assertThat(restarted.evaluate().inPool()).isTrue();
    }

    @Test
    void aFencedCheckoutIsOutOnceTheManifestNamesAnActiveCommitButAnAdoptedOneServes() throws Exception {
        Files.createDirectories(primary.current());
        Files.createDirectories(secondary.root().resolve("adopted-20261126T120000Z"));
        Files.createSymbolicLink(secondary.current(), Path.of("adopted-20261126T120000Z"));
        assertThat(check().evaluate().inPool()).as("both serve a checkout; nothing is known yet").isTrue();
        state.write(new AgentState("s", 1, Map.of("primary", A, "secondary", "")));
        PoolVerdict verdict = check().evaluate();
        assertThat(verdict.inPool()).isFalse();
        assertThat(verdict.reason()).contains("primary does not serve its active commit").doesNotContain("secondary");
    }

    @Test
    void aDanglingCurrentServesNothing() throws Exception {
        serve(A, A);
        Files.delete(primary.release(A));
        state.write(new AgentState("s", 1, Map.of("primary", A, "secondary", A)));
        assertThat(check().evaluate().reason()).contains("primary serves nothing");
    }

    private void serve(String primaryCommit, String secondaryCommit) throws Exception {
        Links.point(primary.current(), primaryCommit);
        Links.point(secondary.current(), secondaryCommit);
    }

    private PoolCheck check() {
        return new PoolCheck(properties(), state, clock);
    }

    private AgentProperties properties() {
        return new AgentProperties("host-a", List.of("http://127.0.0.1:1"), base.resolve("token"), base, 5, false,
                Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofSeconds(45),
                Duration.ofSeconds(30), Map.of("primary", new AgentProperties.Repo("file:///nowhere", null),
                "secondary", new AgentProperties.Repo("file:///nowhere", null)), new AgentProperties.Debug(""),
                GRACE, Duration.ofMinutes(5));
    }
}

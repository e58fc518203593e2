package org.lockstep.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.agent.config.AgentProperties;
import org.lockstep.agent.release.Links;
import org.lockstep.agent.release.Releases;
import org.lockstep.agent.release.RepoLayout;
import org.lockstep.agent.support.Samples;
import org.lockstep.agent.support.ScriptedManifest;
import org.lockstep.agent.sync.HoldPoints;
import org.lockstep.agent.sync.SyncMetrics;
import org.lockstep.agent.sync.Syncer;
import org.lockstep.protocol.DesiredState;
import org.lockstep.testing.GitDaemon;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.Trees;
import org.lockstep.testing.agent.AgentConfig;
import org.lockstep.testing.agent.AgentProcess;
import org.lockstep.testing.manifest.Tokens;

/**
 * Kills a real agent process with SIGKILL at each dangerous point of preparing a release, restarts it and checks
 * that nothing dangles, no partial release is linked, and the agent reaches the desired state on its own. The
 * agent is stopped at each point by {@code lockstep.agent.debug.hold-at}.
 */
class AgentCrashProcessTests {

    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    GitRepo origin;

    String first;

    String second;

    GitDaemon daemon;

    ScriptedManifest manifest;

    AgentConfig config;

    RepoLayout layout;

    @BeforeEach
    void setUp() throws Exception {
        origin = GitRepo.init(tmp.resolve("work"));
        first = Samples.schemas(origin).commit("first");
        second = origin.write("jsonschema/event7/1.0.0.json", "{}\n").executable("bin/other.sh", "#!/bin/sh\n")
                .commit("second");
        origin.cloneBare(tmp.resolve("served/schemas.git"));
        daemon = GitDaemon.serve(tmp.resolve("served"), tmp.resolve("daemon.log"), true);
        manifest = new ScriptedManifest(Tokens.agent("host-a"), "store-1", 0, Duration.ofSeconds(5)).start();
        config = AgentConfig.forHost("host-a", List.of(manifest.url())).repo("primary", daemon.url("schemas.git"));
        layout = RepoLayout.of(tmp.resolve("agent/base"), "primary");
        // The host already serves `first` (set up in this JVM, quicker than another agent process); `second` is
        // the target being prepared when the agent is killed.
        AgentProperties properties = new AgentProperties("host-a", List.of(manifest.url()), tmp.resolve("agent/token"),
                tmp.resolve("agent/base"), 5, false, Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(1), Duration.ofSeconds(45), Duration.ofSeconds(2),
                Map.of("primary", new AgentProperties.Repo(daemon.url("schemas.git"), null)),
                new AgentProperties.Debug(""), Duration.ofSeconds(5),
                Duration.ofMinutes(5));
        try (Syncer syncer = new Syncer(properties, new HoldPoints(""), new SyncMetrics(new SimpleMeterRegistry()))) {
            syncer.syncOnce(new DesiredState("store-1", 1, List.of(
                    new DesiredState.RepoDesired("primary", "u", "main", first, null, null))));
        }
        assertThat(Links.commit(layout.current())).contains(first);
        manifest.set("primary", first, second);
    }

    @AfterEach
    void tearDown() {
        manifest.close();
        daemon.close();
    }

    @Test
    void killDuringFetchLeavesAUsableMirror() {
        crashAt("fetch");
        assertThat(Links.commit(layout.next())).isNotEqualTo(second);
        restartAndConverge();
    }

    @Test
    void killDuringMaterializationNeverLinksTheHalfRelease() throws Exception {
        crashAt("materialize");
        try (var entries = Files.list(layout.releases())) {
            assertThat(entries.map(p -> p.getFileName().toString())).as("a half-written temp release")
                    .anyMatch(name -> name.startsWith(".tmp-" + second + "-"));
        }
        assertThat(layout.release(second)).doesNotExist();
        restartAndConverge();
    }

    @Test
    void killBetweenMaterializationAndLinkingLeavesACompleteUnlinkedRelease() {
        crashAt("before-link");
        assertThat(Releases.isComplete(layout, second)).isTrue();
        assertThat(Links.commit(layout.next())).isNotEqualTo(second);
        restartAndConverge();
    }

    @Test
    void killBetweenLinkingAndReportingIsReportedAfterRestart() {
        // Reports are built from the disk by their own thread: with the usual 1 s heartbeat one may read the new
        // `next` between the hold and the kill, and the crash would lose nothing. No heartbeat falls in the window
        // here; the restarted agent reports at once, as every start does.
        config.heartbeat("10m");
        crashAt("before-report");
        assertThat(Links.commit(layout.next())).contains(second);
        assertThat(manifest.reports()).noneMatch(r -> second.equals(r.repos().get(0).next()));
        config.heartbeat("1s");
        restartAndConverge();
    }

    private void crashAt(String point) {
        try (AgentProcess agent = new AgentProcess(tmp.resolve("agent"), config).startHeldAt(point)) {
            agent.awaitLog("event=hold-reached point=" + point + " repo=primary commit=" + second, WAIT);
            agent.kill();
        }
        assertNothingDangles();
        assertThat(Links.commit(layout.current())).as("activation came first").contains(first);
    }

    private void restartAndConverge() {
        try (AgentProcess agent = new AgentProcess(tmp.resolve("agent"), config).start()) {
            manifest.awaitReport("primary", r -> second.equals(r.next()) && first.equals(r.current()), WAIT);
            assertNothingDangles();
            Trees.assertSameTree(origin.archive(second, tmp.resolve("archive")), layout.release(second));
            try (var entries = Files.list(layout.releases())) {
                assertThat(entries.map(p -> p.getFileName().toString())).as("the releases, their markers, no temp")
                        .containsExactlyInAnyOrder(first, second, "." + first + ".complete",
                                "." + second + ".complete", ".marked");
            }
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Invariant 3: each link is absent or points at a complete release directory. */
    private void assertNothingDangles() {
        for (Path link : List.of(layout.current(), layout.next())) {
            Links.State state = Links.state(link);
            assertThat(state).isInstanceOfAny(Links.Absent.class, Links.ToRelease.class);
            if (state instanceof Links.ToRelease release) {
                assertThat(Releases.isComplete(layout, release.commit())).as("%s is a complete release", link).isTrue();
            }
        }
    }
}

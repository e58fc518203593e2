package org.lockstep.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.agent.release.Links;
import org.lockstep.agent.release.RepoLayout;
import org.lockstep.agent.support.Samples;
import org.lockstep.agent.support.ScriptedManifest;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.agent.AgentConfig;
import org.lockstep.testing.agent.AgentProcess;
import org.lockstep.testing.manifest.Tokens;

/**
 * Stopping a real agent process the way a service manager does (SIGTERM): it exits 0 within a bound and logs no
 * warning or error, also with a long-poll held, a report on its way and a preparation in progress (issue 10, "Also").
 */
class AgentShutdownProcessTests {

    static final Duration WAIT = Duration.ofSeconds(60);

    /** Far above what stopping takes (the agent waits at most 5 s for each of its parts), far below a hang. */
    static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    GitRepo origin;

    Samples.History history;

    ScriptedManifest manifest;

    AgentConfig config;

    @BeforeEach
    void setUp() throws Exception {
        origin = GitRepo.init(tmp.resolve("origin"));
        history = Samples.history(origin);
        manifest = new ScriptedManifest(Tokens.agent("host-a"), "store-1", 0, Duration.ofSeconds(30)).start();
        config = AgentConfig.forHost("host-a", List.of(manifest.url())).heartbeat("500ms")
                .repo("primary", origin.url());
    }

    @AfterEach
    void tearDown() {
        manifest.close();
    }

    @Test
    void aStoppedAgentExitsZeroWithinTheBoundAndLogsNoWarning() {
        manifest.set("primary", history.first(), history.second());
        try (AgentProcess agent = new AgentProcess(tmp.resolve("agent"), config).start()) {
            manifest.awaitReport("primary", r -> history.first().equals(r.current())
                    && history.second().equals(r.next()), WAIT);
            // A few heartbeats more, so a long-poll is held and reports keep going while the agent is stopped.
            int seen = manifest.reports().size();
            agent.awaitLog("event=recovered", WAIT);
            await().atMost(WAIT).until(() -> manifest.reports().size() >= seen + 3);

            assertStopsCleanly(agent);
        }
    }

    @Test
    void stoppingDuringAPreparationCancelsItAndLeavesNoHalfRelease() {
        manifest.set("primary", history.first(), null);
        // 4,000 files (written in git's order: names sorted), so the preparation is still running when stopped.
        String many = origin.commitTree("many files", tree -> tree.tree("bulk", bulk -> {
            for (int group = 0; group < 40; group++) {
                int g = group;
                bulk.tree(String.format("group%02d", g), dir -> {
                    for (int i = 0; i < 100; i++) {
                        dir.file(String.format("event%03d.json", i), "{\"group\": " + g + ", \"event\": " + i
                                + "}\n");
                    }
                });
            }
        }));
        try (AgentProcess agent = new AgentProcess(tmp.resolve("agent"), config).start()) {
            manifest.awaitReport("primary", r -> history.first().equals(r.current()), WAIT);
            RepoLayout layout = RepoLayout.of(agent.baseDir(), "primary");
            manifest.set("primary", history.first(), many);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5))
                    .until(() -> writing(layout, many) || Files.isDirectory(layout.release(many)));

            assertStopsCleanly(agent);
            assertThat(writing(layout, many)).as("no half-written release left").isFalse();
            assertThat(Links.commit(layout.current())).contains(history.first());
            if (!Files.isDirectory(layout.release(many))) {
                assertThat(agent.output()).contains("event=preparation-cancelled repo=primary commit=" + many);
            }
        }
    }

    private static void assertStopsCleanly(AgentProcess agent) {
        long started = System.nanoTime();
        int exit = agent.stop(BOUND);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(exit).as("exit status after SIGTERM (took %s)", took).isZero();
        assertThat(took).isLessThan(BOUND);
        List<String> noisy = agent.output().lines().filter(line -> line.contains(" WARN [")
                || line.contains("ERROR [") || line.contains("Exception")).toList();
        assertThat(noisy).as("warnings, errors or stack traces in the log").isEmpty();
        assertThat(agent.output()).contains("event=stopped host=host-a");
    }

    private static boolean writing(RepoLayout layout, String commit) {
        try (Stream<Path> entries = Files.list(layout.releases())) {
            return entries.anyMatch(p -> p.getFileName().toString().startsWith(".tmp-" + commit + "-"));
        }
        catch (IOException e) {
            return false;
        }
    }
}

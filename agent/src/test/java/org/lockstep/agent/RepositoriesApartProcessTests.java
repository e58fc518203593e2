package org.lockstep.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.agent.config.AgentProperties;
import org.lockstep.agent.release.Links;
import org.lockstep.agent.release.RepoLayout;
import org.lockstep.agent.support.Samples;
import org.lockstep.agent.support.ScriptedManifest;
import org.lockstep.agent.sync.HoldPoints;
import org.lockstep.agent.sync.SyncMetrics;
import org.lockstep.agent.sync.Syncer;
import org.lockstep.protocol.DesiredState;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.agent.AgentConfig;
import org.lockstep.testing.agent.AgentProcess;
import org.lockstep.testing.manifest.Tokens;

/**
 * A real agent process serving two repositories, with one preparation held for good at a debug hold point
 * ({@code lockstep.agent.debug.hold-at=materialize:<repo>}): a switch never waits for it, whether the preparation is
 * another repository's or a newer target of the same one (issue 13; docs/design.md "Activation is handled before
 * preparing anything newer").
 */
class RepositoriesApartProcessTests {

    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    Samples.History primary;

    String secondaryCommit;

    GitRepo primaryOrigin;

    GitRepo secondaryOrigin;

    ScriptedManifest manifest;

    AgentConfig config;

    @BeforeEach
    void setUp() throws Exception {
        primaryOrigin = GitRepo.init(tmp.resolve("primary"));
        primary = Samples.history(primaryOrigin);
        secondaryOrigin = GitRepo.init(tmp.resolve("secondary"));
        secondaryCommit = Samples.schemas(secondaryOrigin).commit("secondary");
        manifest = new ScriptedManifest(Tokens.agent("host-a"), "store-1", 0, Duration.ofSeconds(5)).start();
        config = AgentConfig.forHost("host-a", List.of(manifest.url())).repo("primary", primaryOrigin.url())
                .repo("secondary", secondaryOrigin.url());
    }

    @AfterEach
    void tearDown() {
        manifest.close();
    }

    @Test
    void aPreparationHeldInOneRepositoryDoesNotDelayTheSwitchOfAnother() {
        manifest.set("primary", primary.first(), primary.second());
        manifest.set("secondary", null, secondaryCommit);
        try (AgentProcess agent = new AgentProcess(tmp.resolve("agent"), config)
                .startHeldAt("materialize:secondary")) {
            agent.awaitLog("event=hold-reached point=materialize repo=secondary commit=" + secondaryCommit, WAIT);
            manifest.awaitReport("primary", r -> primary.first().equals(r.current())
                    && primary.second().equals(r.next()), WAIT);

            manifest.set("primary", primary.second(), null);
            manifest.awaitReport("primary", r -> primary.second().equals(r.current()), WAIT);
            assertThat(Links.commit(layout(agent, "primary").current())).contains(primary.second());
            assertThat(writing(layout(agent, "secondary"), secondaryCommit)).as("secondary still held").isTrue();
            assertThat(agent.output()).doesNotContain("event=prepared repo=secondary");
        }
    }

    @Test
    void aSwitchToAPreparedCommitDoesNotWaitForTheNewerTargetBeingPrepared() throws Exception {
        // On disk before the agent starts: first served, second prepared.
        RepoLayout layout = RepoLayout.of(AgentConfig.baseDir(tmp.resolve("agent")), "primary");
        try (Syncer syncer = syncer(layout.root().getParent())) {
            syncer.syncOnce(new DesiredState("store-1", 1, List.of(new DesiredState.RepoDesired("primary", "u",
                    "main", primary.first(), primary.second(), 1L))));
        }
        assertThat(Links.commit(layout.next())).contains(primary.second());
        // second is superseded by third, whose preparation holds for good ...
        manifest.set("primary", primary.first(), primary.third());
        try (AgentProcess agent = new AgentProcess(tmp.resolve("agent"), config)
                .startHeldAt("materialize:primary")) {
            agent.awaitLog("event=hold-reached point=materialize repo=primary commit=" + primary.third(), WAIT);
            manifest.awaitReport("primary", r -> primary.first().equals(r.next())
                    && primary.third().equals(r.preparing()), WAIT);

            // ... and then second, still complete on disk, is made active: the switch happens meanwhile.
            manifest.set("primary", primary.second(), primary.third());
            manifest.awaitReport("primary", r -> primary.second().equals(r.current()), WAIT);
            assertThat(Links.commit(layout.current())).contains(primary.second());
            assertThat(writing(layout, primary.third())).as("third still held").isTrue();
        }
    }

    private Syncer syncer(Path baseDir) {
        AgentProperties properties = new AgentProperties("host-a", List.of(manifest.url()), tmp.resolve("token"),
                baseDir, 5, false, Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(1),
                Duration.ofSeconds(45), Duration.ofSeconds(2),
                Map.of("primary", new AgentProperties.Repo(primaryOrigin.url(), null)), new AgentProperties.Debug(""),
                Duration.ofSeconds(5), Duration.ofMinutes(5));
        return new Syncer(properties, new HoldPoints(""), new SyncMetrics(new SimpleMeterRegistry()));
    }

    private static RepoLayout layout(AgentProcess agent, String repo) {
        return RepoLayout.of(agent.baseDir(), repo);
    }

    /** Whether a release of {@code commit} is being written (its temporary directory exists). */
    private static boolean writing(RepoLayout layout, String commit) {
        try (Stream<Path> entries = Files.list(layout.releases())) {
            return entries.anyMatch(p -> p.getFileName().toString().startsWith(".tmp-" + commit + "-"));
        }
        catch (IOException e) {
            return false;
        }
    }
}

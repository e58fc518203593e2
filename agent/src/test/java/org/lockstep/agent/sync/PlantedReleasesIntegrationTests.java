package org.lockstep.agent.sync;

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
import org.lockstep.agent.release.Markers;
import org.lockstep.agent.release.Releases;
import org.lockstep.agent.release.RepoLayout;
import org.lockstep.agent.support.Samples;
import org.lockstep.protocol.AgentReport.RepoReport;
import org.lockstep.protocol.DesiredState;
import org.lockstep.protocol.DesiredState.RepoDesired;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.Trees;

/**
 * What the agent did not build is never served as if it had: a symlink or a directory planted under a commit's
 * name, a {@code next} pointed outside, a marker without its release. Only real directories with the agent's
 * completion marker count as prepared.
 */
class PlantedReleasesIntegrationTests {

    @TempDir
    Path tmp;

    GitRepo origin;

    String first;

    String second;

    RepoLayout layout;

    Syncer syncer;

    @BeforeEach
    void originAndBase() throws Exception {
        origin = GitRepo.init(tmp.resolve("origin"));
        first = Samples.schemas(origin).commit("first");
        second = origin.write("jsonschema/event1/1.1.0.json", "{\"v\": 2}\n").commit("second");
        layout = RepoLayout.of(tmp.resolve("base"), "primary");
        // This version of the agent has run here before (releases are marked); see the last test for an upgrade.
        Markers.ensureMarked(layout);
        syncer = new Syncer(properties(), new HoldPoints(""), new SyncMetrics(new SimpleMeterRegistry()));
    }

    @AfterEach
    void close() {
        syncer.close();
    }

    @Test
    void aPlantedSymlinkUnderACommitNameIsNotPreparedAndIsReplacedByTheAgentsOwnRelease() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("passwd"), "root:x:0:0\n");
        Files.createSymbolicLink(layout.release(first), elsewhere);
        Links.point(layout.next(), first);

        assertThat(report().next()).as("a symlink is not a release").isNull();
        syncer.recover();
        assertThat(Files.exists(layout.release(first))).as("the planted symlink is removed at start").isFalse();
        assertThat(Links.state(layout.next())).isInstanceOf(Links.Absent.class);

        syncer.syncOnce(desired(null, first));
        assertThat(report().next()).isEqualTo(first);
        assertThat(Files.isSymbolicLink(layout.release(first))).isFalse();
        Trees.assertSameTree(archive(first), layout.release(first));
        assertThat(elsewhere.resolve("passwd")).hasContent("root:x:0:0");
    }

    @Test
    void aDirectoryWithoutTheMarkerIsNotPreparedAndIsRebuiltWhenTargeted() throws Exception {
        Files.createDirectories(layout.release(first).resolve("jsonschema"));
        Files.writeString(layout.release(first).resolve("jsonschema/planted.json"), "{\"evil\": true}\n");
        Links.point(layout.next(), first);

        assertThat(report().next()).as("no marker, not ours").isNull();
        assertThat(Releases.list(layout)).isEmpty();

        syncer.syncOnce(desired(null, first));
        assertThat(report().next()).isEqualTo(first);
        Trees.assertSameTree(archive(first), layout.release(first));
    }

    @Test
    void currentOnAnUnmarkedDirectoryKeepsBeingServedUntilTheActivationReplacesIt() throws Exception {
        Files.createDirectories(layout.release(first));
        Files.writeString(layout.release(first).resolve("old.json"), "{}\n");
        Links.point(layout.current(), first);

        syncer.recover();
        assertThat(layout.release(first).resolve("old.json")).as("nothing served changes without an activation")
                .exists();
        assertThat(report().current()).as("but it is not reported as the agent's release").isNull();

        syncer.syncOnce(desired(first, null));
        assertThat(report().current()).isEqualTo(first);
        Trees.assertSameTree(archive(first), layout.release(first));
        assertThat(Links.commit(layout.current())).contains(first);
    }

    @Test
    void aNextPointedOutsideIsRepairedAtStartAndWhileRunning() throws Exception {
        syncer.syncOnce(desired(first, first));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.delete(layout.next());
        Files.createSymbolicLink(layout.next(), outside);
        assertThat(report().next()).isNull();

        SyncResult result = syncer.syncOnce(desired(first, first));
        assertThat(result.events()).contains(new SyncEvent.NextRepaired("primary", null, outside.toString()));
        assertThat(Files.readSymbolicLink(layout.next())).isEqualTo(Path.of("releases/" + first));

        Files.delete(layout.next());
        Files.createSymbolicLink(layout.next(), Path.of("../../outside"));
        syncer.recover();
        assertThat(Links.state(layout.next())).isInstanceOf(Links.Absent.class);
        assertThat(Links.commit(layout.current())).contains(first);
    }

    @Test
    void aMarkerDoesNotMakeAnotherDirectoryAReleaseOfTheAgent() throws Exception {
        syncer.syncOnce(desired(first, first));
        Path moved = tmp.resolve("moved");
        Files.move(layout.release(first), moved);
        Files.createDirectories(layout.release(first));

        assertThat(Releases.isComplete(layout, first)).as("same name, different directory").isFalse();
        assertThat(report().current()).isNull();
    }

    @Test
    void releasesOfAnAgentFromBeforeMarkersAreTrustedOnceAndGarbageAfterThatIsNot() throws Exception {
        syncer.syncOnce(desired(first, first));
        try (var entries = Files.list(layout.releases())) {
            for (Path path : entries.filter(p -> p.getFileName().toString().startsWith(".")).toList()) {
                Files.delete(path);
            }
        }
        assertThat(report().current()).as("as an older agent left it: no markers").isNull();

        syncer.recover();
        assertThat(report().current()).isEqualTo(first);

        Files.createDirectories(layout.release(second).resolve("jsonschema"));
        syncer.recover();
        assertThat(Files.exists(layout.release(second))).as("planted after the upgrade: removed").isFalse();
        assertThat(report().current()).isEqualTo(first);
    }

    private Path archive(String commit) {
        return origin.archive(commit, tmp.resolve("archive-" + commit));
    }

    private RepoReport report() {
        return syncer.reports().get(0);
    }

    private DesiredState desired(String active, String target) {
        return new DesiredState("store-1", 1, List.of(new RepoDesired("primary", "ignored", "main", active, target,
                7L)));
    }

    private AgentProperties properties() {
        return new AgentProperties("host-a", List.of("http://127.0.0.1:1"), tmp.resolve("token"), tmp.resolve("base"),
                5, false, Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofSeconds(10),
                Duration.ofSeconds(45), Duration.ofSeconds(30), Map.of("primary", new AgentProperties.Repo(
                origin.url(), null)), new AgentProperties.Debug(""), Duration.ofSeconds(5), Duration.ofMinutes(5));
    }
}

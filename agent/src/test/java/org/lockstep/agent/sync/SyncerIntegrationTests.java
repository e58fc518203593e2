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
import org.lockstep.agent.release.RepoLayout;
import org.lockstep.agent.support.Samples;
import org.lockstep.agent.sync.SyncEvent.Prepared;
import org.lockstep.agent.sync.SyncEvent.Switched;
import org.lockstep.agent.sync.SyncEvent.Withdrawn;
import org.lockstep.protocol.AgentReport.RepoReport;
import org.lockstep.protocol.DesiredState;
import org.lockstep.protocol.DesiredState.RepoDesired;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.Trees;

class SyncerIntegrationTests {

    @TempDir
    Path tmp;

    GitRepo origin;

    String first;

    String second;

    String third;

    Path base;

    RepoLayout layout;

    Syncer syncer;

    @BeforeEach
    void originAndBase() {
        origin = GitRepo.init(tmp.resolve("origin"));
        Samples.History history = Samples.history(origin);
        first = history.first();
        second = history.second();
        third = history.third();
        base = tmp.resolve("base");
        layout = RepoLayout.of(base, "primary");
    }

    @AfterEach
    void close() {
        if (syncer != null) {
            syncer.close();
        }
    }

    @Test
    void preparesTheTargetAndLinksNextWithoutTouchingCurrent() {
        syncer = syncer(null, false, 5);
        SyncResult result = syncer.syncOnce(desired(null, first));
        assertThat(result.events()).containsExactly(new Prepared("primary", first, 7L));
        assertThat(Links.commit(layout.next())).contains(first);
        assertThat(Links.state(layout.current())).isInstanceOf(Links.Absent.class);
        Trees.assertSameTree(origin.archive(first, tmp.resolve("archive")), layout.release(first));
        assertThat(report().next()).isEqualTo(first);
        assertThat(report().current()).isNull();
    }

    @Test
    void switchesToAPreparedCommitAtOnceAndReportsWhen() {
        syncer = syncer(null, false, 5);
        syncer.syncOnce(desired(null, first));
        SyncResult result = syncer.syncOnce(desired(first, first));
        assertThat(result.events()).containsExactly(new Switched("primary", first, null));
        assertThat(Links.commit(layout.current())).contains(first);
        assertThat(report().current()).isEqualTo(first);
        assertThat(report().switchedAt()).isNotNull();
        assertThat(syncer.syncOnce(desired(first, null)).worthReporting()).as("idempotent").isFalse();
    }

    @Test
    void aNewHostPreparesTheActiveCommitFirstAndActivationComesBeforeANewerTarget() {
        syncer = syncer(null, false, 5);
        SyncResult result = syncer.syncOnce(desired(first, second));
        assertThat(result.events()).containsExactly(new Switched("primary", first, null),
                new Prepared("primary", second, 7L));
        assertThat(Links.commit(layout.current())).contains(first);
        assertThat(Links.commit(layout.next())).contains(second);
    }

    @Test
    void everyRepositorySwitchesBeforeAnyRepositoryPreparesANewTarget() {
        GitRepo other = GitRepo.init(tmp.resolve("other"));
        String otherCommit = other.write("a.json", "{}\n").commit("other");
        AgentProperties properties = properties(null, false, 5, Map.of(
                "primary", new AgentProperties.Repo(origin.url(), null),
                "secondary", new AgentProperties.Repo(other.url(), null)));
        syncer = new Syncer(properties, new HoldPoints(""), new SyncMetrics(new SimpleMeterRegistry()));
        // primary's target comes first in the desired state, secondary's activation must still go first.
        SyncResult result = syncer.syncOnce(new DesiredState("store-1", 1, List.of(
                new RepoDesired("primary", "u", "main", null, second, 1L),
                new RepoDesired("secondary", "u", "main", otherCommit, null, null))));
        assertThat(result.events()).containsExactly(new Switched("secondary", otherCommit, null),
                new Prepared("primary", second, 1L));
    }

    @Test
    void aWithdrawnTargetIsNoLongerServedThroughNext() {
        syncer = syncer(null, false, 5);
        syncer.syncOnce(desired(first, second));
        SyncResult cancelled = syncer.syncOnce(desired(first, null));
        assertThat(cancelled.events()).containsExactly(new Withdrawn("primary", second, first));
        assertThat(Links.commit(layout.next())).contains(first);
        // Superseded: next goes back to current at once, then to the newer target once prepared.
        syncer.syncOnce(desired(first, second));
        SyncResult superseded = syncer.syncOnce(desired(first, third));
        assertThat(superseded.events()).containsExactly(new Withdrawn("primary", second, first),
                new Prepared("primary", third, 7L));
        assertThat(Links.commit(layout.next())).contains(third);
    }

    @Test
    void aFailingVerifyCommandIsReportedWithItsOutputAndTheCommitNeverBecomesReady() throws Exception {
        Path runs = tmp.resolve("runs");
        syncer = syncer("echo checked >> " + runs + "; test -f README.md || exit 1; echo 'schema 1.0.0 invalid' >&2;"
                + " exit 3", false, 5);
        SyncResult result = syncer.syncOnce(desired(null, first));
        assertThat(result.errors()).hasSize(1);
        RepoReport report = report();
        assertThat(report.error()).contains("exited with 3").contains("schema 1.0.0 invalid");
        assertThat(report.errorCommit()).isEqualTo(first);
        assertThat(report.next()).isNull();
        assertThat(layout.release(first)).doesNotExist();
        try (var left = Files.list(layout.releases())) {
            assertThat(left.filter(p -> !bookkeeping(p))).as("no temp directory left").isEmpty();
        }
        syncer.syncOnce(desired(null, first));
        assertThat(Files.readAllLines(runs)).as("a permanent failure is not retried").hasSize(1);
        assertThat(report().error()).isNotNull();
    }

    @Test
    void aVerifyCommandThatHangsIsKilledAtItsTimeout() {
        syncer = syncer("echo starting; sleep 30", false, 5);
        long started = System.nanoTime();
        syncer.syncOnce(desired(null, first));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        assertThat(report().error()).contains("timed out after 2s").contains("starting");
        assertThat(report().next()).isNull();
    }

    @Test
    void aCheckoutFromBeforeLockstepIsLeftAloneUnlessAdoptionIsAllowed() throws Exception {
        Files.createDirectories(layout.current().resolve("jsonschema"));
        Files.writeString(layout.current().resolve("jsonschema/old.json"), "{}");
        syncer = syncer(null, false, 5);
        syncer.recover();
        assertThat(syncer.syncOnce(desired(first, null)).events()).isEmpty();
        assertThat(Files.isDirectory(layout.current())).isTrue();
        assertThat(Files.isSymbolicLink(layout.current())).isFalse();
        assertThat(report().error()).contains("adopt-existing");
        syncer.close();

        syncer = syncer(null, true, 5);
        syncer.recover();
        assertThat(Files.isSymbolicLink(layout.current())).isTrue();
        assertThat(layout.current().resolve("jsonschema/old.json")).as("still served").exists();
        try (var adopted = Files.list(layout.root())) {
            assertThat(adopted.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("adopted-"));
        }
        assertThat(syncer.syncOnce(desired(first, null)).events()).containsExactly(
                new Switched("primary", first, null));
        assertThat(Links.commit(layout.current())).contains(first);
    }

    @Test
    void startupRemovesCrashLeftoversAndDanglingLinks() throws Exception {
        syncer = syncer(null, false, 5);
        syncer.syncOnce(desired(first, first));
        Path half = Files.createDirectories(layout.releases().resolve(".tmp-" + second + "-123/jsonschema"));
        Files.writeString(half.resolve("partial.json"), "{");
        Files.createSymbolicLink(layout.root().resolve(".link-tmp-next-abc"), Path.of("releases/" + second));
        Files.deleteIfExists(layout.next());
        Files.createSymbolicLink(layout.next(), Path.of("releases/" + third));
        Files.createDirectories(layout.releases().resolve("garbage"));
        syncer.recover();
        try (var left = Files.list(layout.releases())) {
            assertThat(left.filter(p -> !bookkeeping(p)).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(first, "garbage");
        }
        assertThat(layout.root().resolve(".link-tmp-next-abc")).doesNotExist();
        assertThat(Links.state(layout.next())).isInstanceOf(Links.Absent.class);
        assertThat(Links.commit(layout.current())).contains(first);
    }

    @Test
    void oldReleasesArePrunedButNeverTheOnesCurrentOrNextPointTo() {
        syncer = syncer(null, false, 1);
        syncer.syncOnce(desired(first, first));
        syncer.syncOnce(desired(first, second));
        SyncResult pruning = syncer.syncOnce(desired(first, third));
        assertThat(pruning.events()).contains(new SyncEvent.Pruned("primary", second));
        assertThat(layout.release(first)).exists();
        assertThat(layout.release(third)).exists();
        assertThat(layout.release(second)).doesNotExist();
    }

    /** The agent's markers beside its releases ({@code .marked}, {@code .<commit>.complete}). */
    private static boolean bookkeeping(Path path) {
        String name = path.getFileName().toString();
        return name.equals(".marked") || name.startsWith(".") && name.endsWith(".complete");
    }

    private RepoReport report() {
        return syncer.reports().get(0);
    }

    private DesiredState desired(String active, String target) {
        return new DesiredState("store-1", 1, List.of(new RepoDesired("primary", "ignored", "main", active, target,
                7L)));
    }

    private Syncer syncer(String verifyCommand, boolean adopt, int keep) {
        return new Syncer(properties(verifyCommand, adopt, keep, Map.of("primary", new AgentProperties.Repo(
                origin.url(), verifyCommand))), new HoldPoints(""), new SyncMetrics(new SimpleMeterRegistry()));
    }

    private AgentProperties properties(String verifyCommand, boolean adopt, int keep,
                                       Map<String, AgentProperties.Repo> repos) {
        return new AgentProperties("host-a", List.of("http://127.0.0.1:1"), tmp.resolve("token"), base, keep, adopt,
                Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofSeconds(45),
                Duration.ofSeconds(30), repos, new AgentProperties.Debug(""), Duration.ofSeconds(5),
                Duration.ofMinutes(5));
    }
}

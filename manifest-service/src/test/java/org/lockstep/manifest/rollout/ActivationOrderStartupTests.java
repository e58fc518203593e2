package org.lockstep.manifest.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.git.GitMirrors;
import org.lockstep.manifest.rollout.machine.Command;
import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.manifest.rollout.machine.HostsRead;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.RolloutAction;
import org.lockstep.manifest.rollout.machine.RolloutEvent;
import org.lockstep.manifest.rollout.machine.RolloutMachine;
import org.lockstep.manifest.rollout.machine.RolloutState;
import org.lockstep.manifest.store.embedded.EmbeddedManifestStore;
import org.lockstep.protocol.AgentReport;
import org.lockstep.protocol.AgentReport.RepoReport;
import org.lockstep.testing.GitRepo;
import org.springframework.util.unit.DataSize;

/**
 * The two ways a met {@code activate-after} requirement is found when the report that met it was not followed by the
 * service's look (the instance crashed in between, or another instance wrote it): at start-up, and at the waiting
 * repository's next report. Real git repositories, the real embedded store reopened on the same file.
 */
class ActivationOrderStartupTests {

    private static final String HOST = "web-1";

    @TempDir
    Path tmp;

    private GitRepo primary;

    private GitRepo secondary;

    private ManifestProperties properties;

    private EmbeddedManifestStore store;

    private GitMirrors mirrors;

    @BeforeEach
    void repositories() {
        primary = GitRepo.init(tmp.resolve("primary"));
        secondary = GitRepo.init(tmp.resolve("secondary"));
        properties = new ManifestProperties(ManifestProperties.StoreKind.embedded, tmp.resolve("data"), null,
                Map.of("primary", repo(primary, List.of()), "secondary", repo(secondary, List.of("primary"))),
                List.of(), null, Duration.ofSeconds(2), Duration.ofSeconds(30), DataSize.ofKilobytes(64));
        mirrors = new GitMirrors(properties);
    }

    @AfterEach
    void close() {
        store.close();
        mirrors.close();
    }

    private static ManifestProperties.Repo repo(GitRepo upstream, List<String> after) {
        return new ManifestProperties.Repo(upstream.url(), "main", List.of(HOST), null, null, null, null, null, after);
    }

    private RolloutService start() {
        store = new EmbeddedManifestStore(properties.dataDir().resolve("store"));
        RolloutService service = new RolloutService(store, properties, mirrors, new HostSightings(),
                Clock.systemUTC());
        service.afterSingletonsInstantiated();
        return service;
    }

    /**
     * {@code secondary} ready on the host and waiting for {@code primary}'s commit, which the host then serves by a
     * write the service never looked after (as if the instance died right after it). Returns the waiting rollout.
     */
    private Rollout waitingWhenPrimaryIsServedUnseen(RolloutService service) {
        String p1 = primary.commit("primary 1.0.0");
        String s1 = secondary.commit("secondary $ref primary 1.0.0");
        service.setTarget("primary", p1, "merge", false, "ci");
        service.report(HOST, report(new RepoReport("primary", null, p1, null, null, null, null)));
        assertThat(service.state("primary").active()).isEqualTo(p1);

        Rollout waiting = service.setTarget("secondary", s1, "merge", false, "ci");
        service.report(HOST, report(new RepoReport("secondary", null, s1, null, null, null, null)));
        assertThat(service.waitsFor(service.rollout(waiting.id()).orElseThrow())).containsExactly(
                new RequirementProgress("primary", p1, 0, 1));

        Command served = new Command.Report(HOST, new HostStatus(p1, p1, null, null, null, Instant.now(),
                Instant.now()));
        store.update("primary", HostsRead.one(HOST),
                (snapshot, next) -> new RolloutMachine().apply(snapshot, served, Instant.now(), next));
        assertThat(service.state("primary").current().state()).isEqualTo(RolloutState.COMPLETE);
        assertThat(service.state("secondary").pending().id()).as("nobody told secondary").isEqualTo(waiting.id());
        return waiting;
    }

    @Test
    void aRequirementMetWhileNoInstanceLookedIsRecordedAtStartUp() {
        Rollout waiting = waitingWhenPrimaryIsServedUnseen(start());
        store.close();

        RolloutService restarted = start();

        Rollout activated = restarted.state("secondary").current();
        assertThat(activated.id()).isEqualTo(waiting.id());
        assertThat(activated.state()).isEqualTo(RolloutState.ACTIVATING);
        assertThat(activated.events()).extracting(RolloutEvent::action).containsExactly(RolloutAction.CREATED,
                RolloutAction.WAITING, RolloutAction.REQUIREMENT_MET, RolloutAction.ACTIVATING);
        assertThat(restarted.waitsFor(activated)).isEmpty();
    }

    @Test
    void aRequirementMetWhileNoInstanceLookedIsRecordedAtTheWaitingRepositorysNextReport() {
        RolloutService service = start();
        Rollout waiting = waitingWhenPrimaryIsServedUnseen(service);
        String s1 = waiting.commit();

        // A heartbeat of secondary (nothing changed on the host) is enough.
        long revision = service.report(HOST, report(new RepoReport("secondary", null, s1, null, null, null, null)));

        assertThat(service.state("secondary").active()).isEqualTo(s1);
        assertThat(revision).as("the answer to the report carries the activation")
                .isEqualTo(service.state("secondary").revision());
    }

    private static AgentReport report(RepoReport repo) {
        return new AgentReport(Instant.now(), null, 0, List.of(repo));
    }
}

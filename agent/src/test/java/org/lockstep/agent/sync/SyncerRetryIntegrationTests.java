package org.lockstep.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.agent.config.AgentProperties;
import org.lockstep.agent.release.Links;
import org.lockstep.agent.release.RepoLayout;
import org.lockstep.agent.support.Samples;
import org.lockstep.protocol.AgentReport.RepoReport;
import org.lockstep.protocol.DesiredState;
import org.lockstep.protocol.DesiredState.RepoDesired;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.MovingClock;

/**
 * How the agent retries: a permanent failure never again for the same commit until the operator's retry generation
 * grows; a transient one always, with backoff, keeping the time it first happened. A real repository, a real verify
 * command, a clock the test moves.
 */
class SyncerRetryIntegrationTests {

    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    @TempDir
    Path tmp;

    private final MovingClock clock = new MovingClock(T0);

    private Syncer syncer;

    @AfterEach
    void close() {
        if (syncer != null) {
            syncer.close();
        }
    }

    @Test
    void aPermanentFailureWaitsForTheOperatorsRetryAndThenPrepares() throws Exception {
        GitRepo origin = GitRepo.init(tmp.resolve("origin"));
        String commit = Samples.schemas(origin).commit("first");
        Path runs = tmp.resolve("runs");
        Path fixed = tmp.resolve("libfoo-installed");
        syncer = syncer(origin.url(), "echo run >> " + runs + "; test -f " + fixed
                + " || { echo 'libfoo missing' >&2; exit 3; }");

        assertThat(syncer.syncOnce(desired(commit, 0)).errors()).hasSize(1);
        RepoReport failed = report();
        assertThat(failed.error()).contains("libfoo missing");
        assertThat(failed.permanent()).isTrue();
        assertThat(failed.errorSince()).isEqualTo(T0);
        assertThat(syncer.nextRetry()).as("nothing to retry on its own").isEmpty();

        Files.createFile(fixed);
        clock.move(Duration.ofMinutes(10));
        syncer.syncOnce(desired(commit, 0));
        assertThat(Files.readAllLines(runs)).as("never retried without the operator").hasSize(1);
        assertThat(report().error()).contains("libfoo missing");

        SyncResult retried = syncer.syncOnce(desired(commit, 1));

        assertThat(retried.events()).contains(new SyncEvent.Prepared("primary", commit, 7L));
        assertThat(Files.readAllLines(runs)).hasSize(2);
        assertThat(Links.commit(RepoLayout.of(tmp.resolve("base"), "primary").next())).contains(commit);
        assertThat(report().error()).isNull();
        assertThat(report().permanent()).isNull();
        assertThat(report().errorSince()).isNull();
    }

    @Test
    void aRetriedPermanentFailureThatFailsAgainKeepsItsFirstTimeAndWaitsForTheNextGeneration() throws Exception {
        GitRepo origin = GitRepo.init(tmp.resolve("origin"));
        String commit = Samples.schemas(origin).commit("first");
        Path runs = tmp.resolve("runs");
        syncer = syncer(origin.url(), "echo run >> " + runs + "; exit 3");

        syncer.syncOnce(desired(commit, 0));
        clock.move(Duration.ofMinutes(1));
        syncer.syncOnce(desired(commit, 1));
        syncer.syncOnce(desired(commit, 1));

        assertThat(Files.readAllLines(runs)).hasSize(2);
        assertThat(report().permanent()).isTrue();
        assertThat(report().retry()).as("failed again at the operator's generation 1").isEqualTo(1);
        assertThat(report().errorSince()).isEqualTo(T0);
    }

    @Test
    void aTransientFailureIsRetriedWithGrowingBackoffUntilItSucceeds() {
        Path missing = tmp.resolve("origin-not-yet");
        syncer = syncer(missing.toUri().toString(), null);

        assertThat(syncer.syncOnce(desired(commitOf("0"), 0)).errors()).hasSize(1);
        assertThat(report().permanent()).isFalse();
        assertThat(report().errorSince()).isEqualTo(T0);
        Instant first = syncer.nextRetry().orElseThrow();
        assertThat(first).isBetween(T0.plusMillis(500), T0.plusSeconds(1));

        clock.move(Duration.ofMillis(100));
        assertThat(syncer.syncOnce(desired(commitOf("0"), 0)).errors()).as("still backing off").isEmpty();
        assertThat(report().error()).as("the error stays reported meanwhile").isNotNull();

        clock.set(first);
        assertThat(syncer.syncOnce(desired(commitOf("0"), 0)).errors()).hasSize(1);
        Instant second = syncer.nextRetry().orElseThrow();
        assertThat(Duration.between(first, second)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(report().errorSince()).as("the same error since the first attempt").isEqualTo(T0);

        GitRepo origin = GitRepo.init(missing);
        String commit = Samples.schemas(origin).commit("first");
        clock.set(second);
        SyncResult recovered = syncer.syncOnce(desired(commit, 0));

        assertThat(recovered.events()).contains(new SyncEvent.Prepared("primary", commit, 7L));
        assertThat(report().error()).isNull();
        assertThat(syncer.nextRetry()).isEmpty();
    }

    /**
     * The repository's control thread wakes for a transient failure's retry by itself (no new desired state comes),
     * and not before it is due: woken half a millisecond early, it would find the retry still backing off, and having
     * woken for that retry once, never wake for it again (it used to round the wait down).
     */
    @Test
    void theControlThreadWakesForARetryOnceItIsDueNotBefore() throws Exception {
        syncer = syncer(tmp.resolve("origin-not-yet").toUri().toString(), null);
        assertThat(syncer.syncOnce(desired(commitOf("0"), 0)).errors()).hasSize(1);
        Instant due = syncer.nextRetry().orElseThrow();
        RepoWorker worker = syncer.worker("primary");
        clock.set(due.minusNanos(500_000));

        CompletableFuture<Boolean> woken = CompletableFuture.supplyAsync(() -> {
            try {
                return worker.awaitWork();
            }
            catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        Thread.sleep(300);
        assertThat(woken).as("half a millisecond before the retry is due").isNotDone();
        clock.set(due);
        assertThat(woken.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(worker.reconcile().task()).as("the retry, looked at once it is due, runs").isNotNull();
    }

    private static String commitOf(String digit) {
        return digit.repeat(40);
    }

    private RepoReport report() {
        return syncer.reports().get(0);
    }

    private static DesiredState desired(String target, long retry) {
        return new DesiredState("store-1", 1, List.of(new RepoDesired("primary", "ignored", "main", null, target, 7L,
                retry)));
    }

    private Syncer syncer(String url, String verifyCommand) {
        AgentProperties properties = new AgentProperties("host-a", List.of("http://127.0.0.1:1"),
                tmp.resolve("token"), tmp.resolve("base"), 5, false, Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(10), Duration.ofSeconds(45), Duration.ofSeconds(30),
                Map.of("primary", new AgentProperties.Repo(url, verifyCommand)), new AgentProperties.Debug(""),
                Duration.ofSeconds(5), Duration.ofMinutes(5));
        return new Syncer(properties, new HoldPoints(""), new SyncMetrics(new SimpleMeterRegistry()), clock);
    }
}

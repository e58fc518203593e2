package org.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstep.cli.RolloutBuilder.T0;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.lockstep.cli.Views.State;

class RolloutWatchTests {

    private final RolloutWatch watch = new RolloutWatch(Duration.ofSeconds(5));

    @Test
    void printsEachChangeOnceFromFirstPreparedHostToCompletion() {
        RolloutBuilder rollout = new RolloutBuilder(12, "web-1", "web-2");
        assertThat(texts(rollout, 1)).isEmpty();

        rollout.prepared("web-2", 2);
        assertThat(texts(rollout, 2)).containsExactly("web-2 prepared (1/2)");
        assertThat(texts(rollout, 3)).as("nothing new, nothing printed").isEmpty();

        rollout.prepared("web-1", 4).activated(4).switched("web-1", 5);
        assertThat(texts(rollout, 5)).containsExactly("web-1 prepared (2/2)",
                "activated: every host is ready, 1f2f466f0a1b is active; hosts switch now", "web-1 switched (1/2)");
        assertThat(RolloutWatch.progress(rollout.build(), rollout.repo(5))).isEqualTo("1/2 switched");

        rollout.switched("web-2", 6).completed(6);
        assertThat(texts(rollout, 6)).containsExactly("web-2 switched (2/2)");
        Optional<Verdict> verdict = watch.verdict(rollout.build(), rollout.repo(6), at(6));
        assertThat(verdict).get().extracting(Verdict::exitCode).isEqualTo(ExitCode.COMPLETE);
        assertThat(verdict.get().message()).isEqualTo("rollout 12 of primary complete: 2 hosts serve 1f2f466f0a1b");
    }

    @Test
    void aLateWatcherHearsWhatAlreadyHappenedInOrder() {
        RolloutBuilder rollout = new RolloutBuilder(12, "web-1", "web-2", "web-3")
                .prepared("web-3", 1).prepared("web-1", 2).noted("PAUSED", "alice", "freeze", 3);
        assertThat(texts(rollout, 4)).containsExactly("web-3 prepared (1/3)", "web-1 prepared (2/3)",
                "paused by alice: freeze");
        assertThat(RolloutWatch.progress(rollout.build(), rollout.repo(4)))
                .isEqualTo("2/3 prepared, activation paused");
    }

    @Test
    void aPermanentErrorFailsAtOnceWhenEveryOtherHostIsReady() {
        RolloutBuilder rollout = new RolloutBuilder(12, "web-1", "web-2").prepared("web-1", 1)
                .blocked("web-2", "verify-command failed (exit 3): schema 1.2.0 is invalid\nline 2", true, 2);
        assertThat(texts(rollout, 2)).containsExactly("web-1 prepared (1/2)",
                "web-2 error (permanent: it will not retry on its own): "
                        + "verify-command failed (exit 3): schema 1.2.0 is invalid ...");

        Verdict verdict = watch.verdict(rollout.build(), rollout.repo(2), at(2)).orElseThrow();
        assertThat(verdict.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(verdict.message()).contains("rollout 12 of primary failed", "1 host failed with a permanent error",
                "web-2 (since 2026-11-26T12:46:45Z", "    verify-command failed (exit 3): schema 1.2.0 is invalid",
                "    line 2", "lockstep retry primary");
    }

    @Test
    void aPermanentErrorWaitsBrieflyForTheOtherHostsSoEveryFailureIsNamed() {
        RolloutBuilder rollout = new RolloutBuilder(12, "web-1", "web-2", "web-3")
                .blocked("web-1", "unsafe symlink: a -> /etc", true, 1);
        watch.observe(rollout.build(), at(1));
        assertThat(watch.verdict(rollout.build(), rollout.repo(1), at(1))).as("web-2, web-3 still working").isEmpty();

        rollout.blocked("web-3", "verify-command failed", true, 3).prepared("web-2", 3);
        Verdict verdict = watch.verdict(rollout.build(), rollout.repo(3), at(3)).orElseThrow();
        assertThat(verdict.message()).contains("2 hosts failed", "web-1", "unsafe symlink", "web-3",
                "verify-command failed");
    }

    @Test
    void aSilentHostDoesNotHoldBackTheFailureLongerThanTheSettleTime() {
        RolloutBuilder rollout = new RolloutBuilder(12, "web-1", "web-2")
                .blocked("web-1", "verify-command failed", true, 1);
        assertThat(watch.verdict(rollout.build(), rollout.repo(1), at(1))).isEmpty();
        assertThat(watch.verdict(rollout.build(), rollout.repo(1), at(5))).isEmpty();
        assertThat(watch.verdict(rollout.build(), rollout.repo(1), at(6))).get()
                .extracting(Verdict::exitCode).isEqualTo(ExitCode.FAILED);
    }

    @Test
    void aTransientErrorIsShownAndWaitedOutNeverFailed() {
        RolloutBuilder rollout = new RolloutBuilder(12, "web-1").blocked("web-1", "git server unreachable", false, 1);
        assertThat(texts(rollout, 1)).containsExactly("web-1 error (transient: retrying): git server unreachable");
        assertThat(watch.verdict(rollout.build(), rollout.repo(1), at(60))).isEmpty();

        rollout.cleared("web-1").prepared("web-1", 70);
        assertThat(texts(rollout, 70)).containsExactly("web-1 prepared (1/1)", "web-1 no longer reports an error");
    }

    @Test
    void aPermanentErrorThatWasRetriedAwayNoLongerFails() {
        RolloutBuilder rollout = new RolloutBuilder(12, "web-1", "web-2").prepared("web-2", 1)
                .blocked("web-1", "verify-command failed", true, 1);
        assertThat(watch.verdict(rollout.build(), rollout.repo(1), at(1))).isPresent();
        rollout.cleared("web-1").noted("RETRIED", "alice", "dependency installed", 2);
        assertThat(watch.verdict(rollout.build(), rollout.repo(2), at(2))).isEmpty();
        assertThat(texts(rollout, 2)).contains("retried by alice: dependency installed");
    }

    @Test
    void supersededNamesWhoAndTheNewerRollout() {
        RolloutBuilder rollout = new RolloutBuilder(12, "web-1")
                .ended(State.SUPERSEDED, "gitlab-ci", "superseded by rollout 15", 9);
        Views.Rollout newer = new RolloutBuilder(15, "web-1").build();
        Verdict verdict = watch.verdict(rollout.build(), rollout.repo(9, newer), at(9)).orElseThrow();
        assertThat(verdict.exitCode()).isEqualTo(ExitCode.SUPERSEDED);
        assertThat(verdict.outcome()).isEqualTo("superseded");
        assertThat(verdict.message()).contains("rollout 12 of primary was superseded by gitlab-ci: superseded by "
                + "rollout 15", "rollout 15: 1f2f466f0a1b, set by gitlab-ci: pipeline 4711");
    }

    @Test
    void cancelledNamesTheOperatorAndTheReason() {
        RolloutBuilder rollout = new RolloutBuilder(12, "web-1").ended(State.CANCELLED, "alice", "broken schema", 9);
        Verdict verdict = watch.verdict(rollout.build(), rollout.repo(9), at(9)).orElseThrow();
        assertThat(verdict.exitCode()).isEqualTo(ExitCode.SUPERSEDED);
        assertThat(verdict.outcome()).isEqualTo("cancelled");
        assertThat(verdict.message()).isEqualTo("rollout 12 of primary was cancelled by alice: broken schema");
    }

    @Test
    void aTimeoutNamesEveryHostStillWaitedForAndSinceWhen() {
        RolloutBuilder rollout = new RolloutBuilder(12, "web-1", "web-2", "web-3").prepared("web-1", 1)
                .blocked("web-3", "git server unreachable", false, 30);
        Verdict verdict = watch.timedOut(rollout.build(), rollout.repo(880), Duration.ofMinutes(15), at(900));
        assertThat(verdict.exitCode()).isEqualTo(ExitCode.TIMED_OUT);
        assertThat(verdict.message()).contains("timed out after 15m: rollout 12 of primary is still PREPARING",
                "waiting since 2026-11-26T12:46:43Z (15m ago) for 2 hosts to prepare 1f2f466f0a1b",
                "  web-2: last seen 20s ago", "  web-3: last seen 20s ago",
                "transient error since 2026-11-26T12:47:13Z: git server unreachable");
        assertThat(verdict.message()).doesNotContain("web-1");
    }

    @Test
    void aTimeoutWhileActivatingCountsFromTheActivation() {
        RolloutBuilder rollout = new RolloutBuilder(12, "web-1", "web-2").prepared("web-1", 1).prepared("web-2", 2)
                .activated(2).switched("web-1", 3);
        Verdict verdict = watch.timedOut(rollout.build(), rollout.repo(3), Duration.ofMinutes(1), at(62));
        assertThat(verdict.message()).contains("is still ACTIVATING, waiting since 2026-11-26T12:46:45Z (1m ago) "
                + "for 1 host to switch:", "  web-2: ");
    }

    @Test
    void aTimeoutOnAPausedRepositorySaysWhoPaused() {
        RolloutBuilder rollout = new RolloutBuilder(12, "web-1").prepared("web-1", 1)
                .noted("PAUSED", "alice", "change freeze", 2);
        Verdict verdict = watch.timedOut(rollout.build(), rollout.repo(3), Duration.ofMinutes(1), at(62));
        assertThat(verdict.message()).endsWith("every host has it prepared, but activation is paused "
                + "(by alice: change freeze)");
    }

    @Test
    void aRolloutWaitingForAnotherRepositorySaysSoInItsProgressAndItsTimeout() {
        String primary = "2a".repeat(20);
        RolloutBuilder rollout = new RolloutBuilder(12, "web-1", "web-2").prepared("web-1", 1).prepared("web-2", 2)
                .noted("WAITING", "system", "every expected host has it prepared; activation waits for primary "
                        + primary + " (activate-after)", 2).waitsFor("primary", primary, 1, 2);
        assertThat(RolloutWatch.progress(rollout.build(), rollout.repo(3)))
                .isEqualTo("2/2 prepared, waits for primary 2a2a2a2a2a2a on 1 of 2 hosts");
        assertThat(texts(rollout, 3)).contains("waiting by system: every expected host has it prepared; activation"
                + " waits for primary " + primary + " (activate-after)");

        Verdict verdict = watch.timedOut(rollout.build(), rollout.repo(3), Duration.ofMinutes(1), at(62));
        assertThat(verdict.message()).endsWith("is still PREPARING: every host has it prepared, but it waits for"
                + " primary 2a2a2a2a2a2a on 1 of 2 hosts (activate-after)");
        assertThat(verdict.fields().get("waitsFor")).asString().contains("hostsServing=1");
    }

    private List<String> texts(RolloutBuilder rollout, int second) {
        return watch.observe(rollout.build(), at(second)).stream().map(WaitEvent::text).toList();
    }

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }
}

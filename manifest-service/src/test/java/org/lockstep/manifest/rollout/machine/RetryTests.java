package org.lockstep.manifest.rollout.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lockstep.manifest.rollout.machine.RepoDriver.commit;
import static org.lockstep.manifest.rollout.machine.StatusBuilder.status;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.lockstep.manifest.rollout.machine.Command.Retry;

/** An operator's retry of a permanently failed preparation: a new generation in the desired state, audited. */
class RetryTests {

    private static final String C1 = commit(1);

    private static final String C2 = commit(2);

    @Test
    void aRetryRecordsWhoAndWhyAndGrowsTheGenerationHostsSee() {
        RepoDriver driver = new RepoDriver("a", "b");
        long id = driver.target(C1).result().id();
        driver.report("a", status().error("verify-command failed", C1));
        assertThat(driver.state.pending().retries()).isZero();

        Transition retried = driver.apply(new Retry("alice", "libxml2 installed on a", null));

        assertThat(retried.desiredChanged()).as("agents must see the new generation").isTrue();
        assertThat(retried.result().id()).isEqualTo(id);
        assertThat(driver.state.pending().retries()).isEqualTo(1);
        RolloutEvent event = driver.state.pending().events().get(driver.state.pending().events().size() - 1);
        assertThat(event.action()).isEqualTo(RolloutAction.RETRIED);
        assertThat(event.actor()).isEqualTo("alice");
        assertThat(event.reason()).isEqualTo("libxml2 installed on a");
        assertThat(event.state()).isEqualTo(RolloutState.PREPARING);

        driver.apply(new Retry("alice", "again", id));
        assertThat(driver.state.pending().retries()).isEqualTo(2);
    }

    @Test
    void aRetryNeverActivatesWithoutEveryHost() {
        RepoDriver driver = new RepoDriver("a", "b");
        driver.target(C1);
        driver.prepared("a", C1);
        driver.report("b", status().error("verify-command failed", C1));
        driver.apply(new Retry("alice", "fixed", null));
        assertThat(driver.state.active()).isNull();
        assertThat(driver.state.pending().state()).isEqualTo(RolloutState.PREPARING);

        driver.prepared("b", C1);
        assertThat(driver.state.active()).isEqualTo(C1);
    }

    @Test
    void aNewTargetStartsFromGenerationZero() {
        RepoDriver driver = new RepoDriver("a");
        driver.target(C1);
        driver.apply(new Retry("alice", "fixed", null));
        driver.target(C2);
        assertThat(driver.state.pending().commit()).isEqualTo(C2);
        assertThat(driver.state.pending().retries()).isZero();
    }

    @Test
    void withNothingPendingThereIsNothingToRetryAndNothingChanges() {
        RepoDriver driver = new RepoDriver("a");
        driver.target(C1);
        driver.prepared("a", C1);
        RepoState before = driver.state;

        assertThatThrownBy(() -> driver.apply(new Retry("alice", "why", null))).isInstanceOf(RolloutRejected.class)
                .satisfies(ex -> assertThat(((RolloutRejected) ex).kind())
                        .isEqualTo(RolloutRejected.Kind.NOTHING_TO_RETRY));
        assertThat(driver.state).isEqualTo(before);
    }

    @Test
    void aRetryOfARolloutNoLongerPendingIsRefused() {
        RepoDriver driver = new RepoDriver("a");
        long first = driver.target(C1).result().id();
        driver.target(C2);
        RepoState before = driver.state;

        assertThatThrownBy(() -> driver.apply(new Retry("alice", "why", first))).isInstanceOf(RolloutRejected.class)
                .hasMessageContaining("no longer the one being prepared");
        assertThat(driver.state).isEqualTo(before);
    }

    @Test
    void aHostReportingTheSameErrorAsPermanentIsAChange() {
        RepoDriver driver = new RepoDriver("a");
        driver.target(C1);
        Instant since = Instant.parse("2026-11-26T12:00:05Z");
        driver.report("a", status().error("verify-command failed", C1));
        Transition permanent = driver.apply(new Command.Report("a", new HostStatus(null, null, null,
                "verify-command failed", C1, null, null, true, since, 0)));
        assertThat(permanent.changed()).isTrue();
        assertThat(driver.status("a").permanent()).isTrue();
        assertThat(driver.status("a").errorSince()).isEqualTo(since);
        assertThat(driver.status("a").hasErrorFor(C1)).isTrue();
        assertThat(driver.status("a").hasErrorFor(C2)).isFalse();
    }
}

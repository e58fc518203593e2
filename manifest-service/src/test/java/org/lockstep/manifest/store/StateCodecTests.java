package org.lockstep.manifest.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.manifest.rollout.machine.HostEntry;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Requirement;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.RolloutAction;
import org.lockstep.manifest.rollout.machine.RolloutEvent;
import org.lockstep.manifest.rollout.machine.RolloutState;

/** Host entries written before a field existed still read: a store is never migrated by hand. */
class StateCodecTests {

    private final StateCodec codec = new StateCodec();

    @Test
    void aHostStatusWrittenBeforeErrorsHadPermanenceReadsAsTransient() {
        HostStatus status = new HostStatus(null, null, null, "fetch failed", "1".repeat(40), null,
                Instant.parse("2026-11-26T12:00:00Z"));
        HostEntry state = new HostEntry("a", status, null, null);
        String written = codec.write(state);
        String old = written.replace(",\"permanent\":false", "").replace(",\"errorSince\":null", "")
                .replace(",\"retry\":0", "");
        assertThat(old).doesNotContain("permanent").doesNotContain("errorSince").doesNotContain("retry");

        HostEntry read = codec.readHost(old);

        assertThat(read).isEqualTo(state);
        assertThat(read.status().permanent()).isFalse();
    }

    @Test
    void permanenceAndSinceSurviveTheStore() {
        HostStatus status = new HostStatus(null, null, null, "verify failed", "1".repeat(40), null,
                Instant.parse("2026-11-26T12:00:09Z"), true, Instant.parse("2026-11-26T12:00:01Z"), 2);
        HostEntry state = new HostEntry("a", status, null, null);

        assertThat(codec.readHost(codec.write(state))).isEqualTo(state);
    }

    @Test
    void aRolloutWrittenBeforeActivateAfterHasNoRequirements() {
        Rollout rollout = rollout(List.of());
        String written = codec.write(rollout);
        String old = written.replace(",\"requires\":[]", "");
        assertThat(old).doesNotContain("requires");

        Rollout read = codec.readRollout(old);

        assertThat(read).isEqualTo(rollout);
        assertThat(read.requires()).isEmpty();
        assertThat(read.unmetRequirements()).isEmpty();
        // Inside a summary too (the pending rollout), as an etcd key or the embedded map holds it.
        RepoState summary = new RepoState("secondary", 3, 2, null, null, rollout, false, null);
        assertThat(codec.readRepo(codec.write(summary).replace(",\"requires\":[]", "")).pending().requires())
                .isEmpty();
    }

    @Test
    void requirementsMetAndUnmetSurviveTheStore() {
        Instant met = Instant.parse("2026-11-26T12:00:05Z");
        Rollout rollout = rollout(List.of(new Requirement("primary", "2".repeat(40), met),
                Requirement.unmet("tertiary", "3".repeat(40))));

        Rollout read = codec.readRollout(codec.write(rollout));

        assertThat(read).isEqualTo(rollout);
        assertThat(read.unmetRequirements()).containsExactly(Requirement.unmet("tertiary", "3".repeat(40)));
        assertThat(codec.write(rollout)).doesNotContain("satisfied");
    }

    private static Rollout rollout(List<Requirement> requires) {
        Instant created = Instant.parse("2026-11-26T12:00:00Z");
        return new Rollout(7, "secondary", "1".repeat(40), null, false, RolloutState.PREPARING, "ci", "merge",
                created, 0, 0, null, null, null, null,
                List.of(new RolloutEvent(created, RolloutAction.CREATED, RolloutState.PREPARING, "ci", "merge")),
                requires);
    }
}

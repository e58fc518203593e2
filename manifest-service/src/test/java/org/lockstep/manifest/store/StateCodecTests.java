package org.lockstep.manifest.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.manifest.rollout.machine.HostEntry;

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
}

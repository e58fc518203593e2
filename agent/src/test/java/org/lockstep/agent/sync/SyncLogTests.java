package org.lockstep.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** One line per sync event, in the manifest's {@code event=... repo=... commit=... host=...} shape. */
class SyncLogTests {

    private static final String C1 = "1".repeat(40);

    private static final String C2 = "2".repeat(40);

    @Test
    void everyEventIsOneLineWithItsNameRepoCommitAndHost() {
        assertThat(SyncLog.line(new SyncEvent.Switched("primary", C2, C1), "h1"))
                .isEqualTo("event=switched repo=primary commit=" + C2 + " host=h1 from=" + C1);
        assertThat(SyncLog.line(new SyncEvent.Prepared("primary", C2, 7L), "h1"))
                .isEqualTo("event=prepared repo=primary commit=" + C2 + " host=h1 rollout=7");
        assertThat(SyncLog.line(new SyncEvent.Withdrawn("primary", C2, C1), "h1"))
                .isEqualTo("event=withdrawn repo=primary commit=" + C2 + " host=h1 next=" + C1);
        assertThat(SyncLog.line(new SyncEvent.Pruned("primary", C1), "h1"))
                .isEqualTo("event=pruned repo=primary commit=" + C1 + " host=h1");
    }

    @Test
    void aFailureQuotesItsErrorSoGitsOutputCannotForgeALine() {
        String error = "VerifyFailed: exited with 3\nevent=switched repo=primary commit=" + C2 + " host=h1 \"x\"";

        String line = SyncLog.line(new SyncEvent.Failed("primary", C2, error, true), "h1");

        assertThat(line).doesNotContain("\n").isEqualTo("event=sync-failed repo=primary commit=" + C2
                + " host=h1 permanent=true error=\"VerifyFailed: exited with 3\\nevent=switched repo=primary commit="
                + C2 + " host=h1 \\\"x\\\"\"");
    }

    @Test
    void onlyPruningIsNotWorthAReport() {
        assertThat(new SyncResult(List.of(new SyncEvent.Pruned("primary", C1))).worthReporting()).isFalse();
        assertThat(new SyncResult(List.of(new SyncEvent.Failed("primary", C1, "x", false))).worthReporting())
                .isTrue();
        assertThat(new SyncResult(List.of()).worthReporting()).isFalse();
    }
}

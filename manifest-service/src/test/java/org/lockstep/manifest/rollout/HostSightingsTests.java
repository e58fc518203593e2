package org.lockstep.manifest.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The in-memory guard that drops a host's stale reports whole, by session and sequence. */
class HostSightingsTests {

    private final HostSightings sightings = new HostSightings();

    @Test
    void withinASessionOnlyAHigherSequenceIsInOrder() {
        assertThat(sightings.inOrder("h1", "s1", 3)).isTrue();
        assertThat(sightings.inOrder("h1", "s1", 3)).as("the same report again").isFalse();
        assertThat(sightings.inOrder("h1", "s1", 2)).as("a late one").isFalse();
        assertThat(sightings.inOrder("h1", "s1", 4)).isTrue();
        assertThat(sightings.inOrder("h2", "s1", 1)).as("another host has its own order").isTrue();
    }

    @Test
    void aNewSessionIsInOrderAndTheOneItReplacedIsNotAnyMore() {
        sightings.inOrder("h1", "before-restart", 40);

        assertThat(sightings.inOrder("h1", "after-restart", 1)).isTrue();
        assertThat(sightings.inOrder("h1", "before-restart", 41))
                .as("a late report of the agent process that is gone").isFalse();
        assertThat(sightings.inOrder("h1", "after-restart", 2)).isTrue();
    }

    @Test
    void reportsWithoutSessionAreAlwaysInOrder() {
        sightings.inOrder("h1", "s1", 9);

        assertThat(sightings.inOrder("h1", null, 0)).isTrue();
        assertThat(sightings.inOrder("h1", null, 0)).isTrue();
        assertThat(sightings.inOrder("h1", "s1", 10)).as("an old agent's report leaves the session's order").isTrue();
    }

    @Test
    void onlyTheLastFewSessionsAreRemembered() {
        for (int i = 0; i <= HostSightings.RETIRED_SESSIONS + 1; i++) {
            sightings.inOrder("h1", "session-" + i, 1);
        }

        assertThat(sightings.inOrder("h1", "session-0", 2)).as("forgotten: taken as a new session").isTrue();
        assertThat(sightings.knowsOrderOf("h1")).isTrue();
        assertThat(sightings.knowsOrderOf("h9")).isFalse();
    }
}

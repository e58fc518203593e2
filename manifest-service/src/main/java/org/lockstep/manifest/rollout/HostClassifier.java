package org.lockstep.manifest.rollout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;

import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.manifest.rollout.machine.RepoState;

/**
 * Puts a host in its {@link HostState}s: from its latest status and when this instance last heard from it, with one
 * notion of "silent" ({@code lockstep.manifest.page.silent-after}) for the API, the page and the metrics. Made by the
 * page's configuration, which owns that property, so that the API needs no dependency on the page.
 */
public final class HostClassifier {

    private final HostSightings sightings;

    private final Duration silentAfter;

    private final Clock clock;

    public HostClassifier(HostSightings sightings, Duration silentAfter, Clock clock) {
        this.sightings = sightings;
        this.silentAfter = silentAfter;
        this.clock = clock;
    }

    public Instant now() {
        return clock.instant();
    }

    /**
     * Every state {@code host} is in for the repository {@code state} describes.
     *
     * @param status its latest status, or null when it never reported
     */
    public EnumSet<HostState> states(RepoState state, String host, HostStatus status, Instant now) {
        return HostState.of(state, status, sightings.lastSeen(host), now, silentAfter);
    }
}

package org.lockstep.manifest.rollout;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * When each host was last heard from (a report or a poll). Kept in memory on purpose: it changes every few seconds
 * per host, matters only for display, and a restart forgets it for no longer than one heartbeat.
 */
@Component
public class HostSightings {

    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();

    private final Map<String, Instant> newestReport = new ConcurrentHashMap<>();

    void seen(String host, Instant at) {
        lastSeen.merge(host, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /**
     * Whether a report sent at {@code sentAt} is the newest heard from {@code host}; an older one (a retried request
     * arriving late) must be dropped whole. The stored state only keeps the send time of reports that changed
     * something, so without this a stale report could follow an unchanged heartbeat and win.
     */
    boolean newestReport(String host, Instant sentAt) {
        Instant newest = newestReport.merge(host, sentAt, (a, b) -> a.isAfter(b) ? a : b);
        return newest.equals(sentAt);
    }

    public Optional<Instant> lastSeen(String host) {
        return Optional.ofNullable(lastSeen.get(host));
    }
}

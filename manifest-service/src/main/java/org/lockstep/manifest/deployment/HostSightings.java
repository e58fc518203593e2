package org.lockstep.manifest.deployment;

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

    void seen(String host, Instant at) {
        lastSeen.merge(host, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    public Optional<Instant> lastSeen(String host) {
        return Optional.ofNullable(lastSeen.get(host));
    }
}

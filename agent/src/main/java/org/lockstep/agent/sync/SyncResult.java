package org.lockstep.agent.sync;

import java.util.List;

/**
 * What one {@link Syncer#syncOnce} did, one line per event ({@code switched repo=... commit=...}).
 *
 * @param events what changed on disk
 * @param errors what failed
 */
public record SyncResult(List<String> events, List<String> errors) {

    public SyncResult {
        events = List.copyOf(events);
        errors = List.copyOf(errors);
    }

    /** Whether the manifest should hear about this at once rather than at the next heartbeat. */
    public boolean worthReporting() {
        return !events.isEmpty() || !errors.isEmpty();
    }
}

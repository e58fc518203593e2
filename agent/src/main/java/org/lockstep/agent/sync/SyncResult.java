package org.lockstep.agent.sync;

import java.util.List;

/**
 * What one {@link Syncer#syncOnce} did, in order.
 *
 * @param events every event, failures included
 */
public record SyncResult(List<SyncEvent> events) {

    public SyncResult {
        events = List.copyOf(events);
    }

    /** The failures among the events. */
    public List<SyncEvent.Failed> errors() {
        return events.stream().filter(SyncEvent.Failed.class::isInstance).map(SyncEvent.Failed.class::cast).toList();
    }

    /** Whether the manifest should hear about this at once rather than at the next heartbeat. */
    public boolean worthReporting() {
        return events.stream().anyMatch(SyncEvent::worthReporting);
    }
}

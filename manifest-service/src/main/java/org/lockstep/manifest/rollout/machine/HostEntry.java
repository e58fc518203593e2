package org.lockstep.manifest.rollout.machine;

import java.time.Instant;
import java.util.Optional;

/**
 * What the manifest keeps about one host for one repository, as one durable value of its own: the host's latest
 * report, and what the host did for the repository's live rollouts. A report that changes a host's status writes
 * this entry (and at most the repository's small summary), never the other hosts' entries; a heartbeat that changes
 * nothing writes nothing.
 *
 * @param host     the host name
 * @param status   what the host last reported that changed something, with that report's ordering key
 * @param prepared the pending rollout for which the manifest first saw the host with its commit prepared, or null
 * @param switched the activated rollout for which the manifest saw the host serve its commit, or null
 */
public record HostEntry(String host, HostStatus status, Mark prepared, Mark switched) {

    /**
     * Something a host did for one rollout, and when.
     *
     * @param rollout the rollout's id
     * @param at      for a preparation the manifest's clock; for a switch the host's, never before the activation
     */
    public record Mark(long rollout, Instant at) {
    }

    /** When the host was first seen with rollout {@code id}'s commit prepared, if it was. */
    public Optional<Instant> preparedFor(long id) {
        return prepared != null && prepared.rollout() == id ? Optional.of(prepared.at()) : Optional.empty();
    }

    /** When the host switched to rollout {@code id}'s commit, if it was seen doing so. */
    public Optional<Instant> switchedFor(long id) {
        return switched != null && switched.rollout() == id ? Optional.of(switched.at()) : Optional.empty();
    }

    HostEntry withStatus(HostStatus next) {
        return new HostEntry(host, next, prepared, switched);
    }

    HostEntry withPrepared(Mark mark) {
        return new HostEntry(host, status, mark, switched);
    }

    HostEntry withSwitched(Mark mark) {
        return new HostEntry(host, status, prepared, mark);
    }
}

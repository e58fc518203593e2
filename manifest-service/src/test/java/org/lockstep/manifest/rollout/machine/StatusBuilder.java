package org.lockstep.manifest.rollout.machine;

import java.time.Instant;

/** Builds a {@link HostStatus} field by field; everything unset is {@code null}. */
record StatusBuilder(String current, String next, String preparing, String error, String errorCommit,
                     Instant switchedAt, Instant sentAt) {

    static StatusBuilder status() {
        return new StatusBuilder(null, null, null, null, null, null, null);
    }

    static StatusBuilder from(HostStatus s) {
        return new StatusBuilder(s.current(), s.next(), s.preparing(), s.error(), s.errorCommit(), s.switchedAt(),
                s.sentAt());
    }

    StatusBuilder current(String commit) {
        return new StatusBuilder(commit, next, preparing, error, errorCommit, switchedAt, sentAt);
    }

    StatusBuilder next(String commit) {
        return new StatusBuilder(current, commit, preparing, error, errorCommit, switchedAt, sentAt);
    }

    StatusBuilder preparing(String commit) {
        return new StatusBuilder(current, next, commit, error, errorCommit, switchedAt, sentAt);
    }

    StatusBuilder error(String message, String commit) {
        return new StatusBuilder(current, next, preparing, message, commit, switchedAt, sentAt);
    }

    StatusBuilder switchedAt(Instant at) {
        return new StatusBuilder(current, next, preparing, error, errorCommit, at, sentAt);
    }

    StatusBuilder sentAt(Instant at) {
        return new StatusBuilder(current, next, preparing, error, errorCommit, switchedAt, at);
    }

    HostStatus build() {
        return new HostStatus(current, next, preparing, error, errorCommit, switchedAt, sentAt);
    }
}

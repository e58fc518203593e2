package org.lockstep.manifest.rollout.machine;

import java.time.Instant;

/** Builds a {@link HostStatus} field by field; everything unset is {@code null} (no session: arrival order). */
record StatusBuilder(String current, String next, String preparing, String error, String errorCommit,
                     Instant switchedAt, Instant sentAt, String session, long sequence) {

    static StatusBuilder status() {
        return new StatusBuilder(null, null, null, null, null, null, null, null, 0);
    }

    static StatusBuilder from(HostStatus s) {
        return new StatusBuilder(s.current(), s.next(), s.preparing(), s.error(), s.errorCommit(), s.switchedAt(),
                s.sentAt(), s.session(), s.sequence());
    }

    StatusBuilder current(String commit) {
        return new StatusBuilder(commit, next, preparing, error, errorCommit, switchedAt, sentAt, session, sequence);
    }

    StatusBuilder next(String commit) {
        return new StatusBuilder(current, commit, preparing, error, errorCommit, switchedAt, sentAt, session, sequence);
    }

    StatusBuilder preparing(String commit) {
        return new StatusBuilder(current, next, commit, error, errorCommit, switchedAt, sentAt, session, sequence);
    }

    StatusBuilder error(String message, String commit) {
        return new StatusBuilder(current, next, preparing, message, commit, switchedAt, sentAt, session, sequence);
    }

    StatusBuilder switchedAt(Instant at) {
        return new StatusBuilder(current, next, preparing, error, errorCommit, at, sentAt, session, sequence);
    }

    StatusBuilder sentAt(Instant at) {
        return new StatusBuilder(current, next, preparing, error, errorCommit, switchedAt, at, session, sequence);
    }

    /** The report's ordering key: agent session and number within it. */
    StatusBuilder key(String inSession, long number) {
        return new StatusBuilder(current, next, preparing, error, errorCommit, switchedAt, sentAt, inSession, number);
    }

    HostStatus build() {
        return new HostStatus(current, next, preparing, error, errorCommit, switchedAt, sentAt, false, null, 0,
                session, sequence);
    }
}

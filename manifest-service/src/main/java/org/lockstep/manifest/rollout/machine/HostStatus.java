package org.lockstep.manifest.rollout.machine;

import java.time.Instant;
import java.util.Objects;

/**
 * What one host last reported for one repository, as read from its disk.
 *
 * @param current     commit {@code current} points at, or {@code null}
 * @param next        commit {@code next} points at (prepared), or {@code null}
 * @param preparing   commit being prepared now, or {@code null}
 * @param error       last error in words, or {@code null}
 * @param errorCommit commit the error concerns, or {@code null}
 * @param switchedAt  when {@code current} last changed (host clock), or {@code null}
 * @param sentAt      when the host made the report (host clock); older reports are ignored
 */
public record HostStatus(String current, String next, String preparing, String error, String errorCommit,
                         Instant switchedAt, Instant sentAt) {

    /** Whether the host has {@code commit} fully on disk, verified and linked. */
    public boolean hasPrepared(String commit) {
        return commit != null && (commit.equals(next) || commit.equals(current));
    }

    /** Whether the host serves {@code commit}. */
    public boolean serves(String commit) {
        return commit != null && commit.equals(current);
    }

    /** Same disk state as {@code other}, whenever each was sent. */
    boolean sameContentAs(HostStatus other) {
        return other != null && Objects.equals(current, other.current) && Objects.equals(next, other.next)
                && Objects.equals(preparing, other.preparing) && Objects.equals(error, other.error)
                && Objects.equals(errorCommit, other.errorCommit) && Objects.equals(switchedAt, other.switchedAt);
    }
}

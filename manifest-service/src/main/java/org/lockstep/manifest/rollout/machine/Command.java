package org.lockstep.manifest.rollout.machine;

import java.util.List;
import java.util.Set;

/**
 * Everything that can happen to a repository's deployment. The facts a command needs (git ancestry) come with it.
 * <p>
 * Java 17 has no switch over a sealed type's records, so the exhaustive form is {@link #handledBy}: each command
 * calls its own method of a {@link Handler}, and a handler must implement every one (none has a default). A new
 * command adds a method there, and the machine does not compile until it handles it: no command can be silently
 * ignored.
 */
public sealed interface Command {

    /** Calls {@code handler}'s method for this command and returns what it returns. */
    <R> R handledBy(Handler<R> handler);

    /** The host entries this command needs besides the summary (none unless it says otherwise). */
    default HostsRead reads() {
        return HostsRead.none();
    }

    /** One method per command; implementations handle every command. */
    interface Handler<R> {

        R setTarget(SetTarget command);

        R report(Report command);

        R changeHosts(ChangeHosts command);

        R pause(Pause command);

        R resume(Resume command);

        R cancel(Cancel command);

        R retry(Retry command);

        R meetRequirement(MeetRequirement command);
    }

    /**
     * A new target from CI, a webhook or an operator.
     *
     * @param ancestry how {@code commit} relates to the active commit (checked against the branch beforehand)
     * @param rollback whether the caller explicitly allows moving backwards
     * @param requires what a new rollout waits for ({@code activate-after}), as the caller read the listed
     *                 repositories: each {@link Requirement#of} one of them, those already served everywhere given
     *                 with any {@code metAt} (recorded met at once, with their event)
     */
    record SetTarget(String commit, Ancestry ancestry, boolean rollback, String actor, String reason,
                     List<Requirement> requires) implements Command {

        public SetTarget {
            requires = requires == null ? List.of() : List.copyOf(requires);
        }

        /** A target of a repository listed after nothing. */
        public SetTarget(String commit, Ancestry ancestry, boolean rollback, String actor, String reason) {
            this(commit, ancestry, rollback, actor, reason, List.of());
        }

        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.setTarget(this);
        }
    }

    /** A host reported what it has on disk for this repository. */
    record Report(String host, HostStatus status) implements Command {

        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.report(this);
        }

        /** The reporting host's entry: a report reads and writes no other. */
        @Override
        public HostsRead reads() {
            return HostsRead.one(host);
        }
    }

    /** The configured set of expected hosts changed (read at start-up). */
    record ChangeHosts(Set<String> hosts) implements Command {

        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.changeHosts(this);
        }

        /** Every entry: the counts are made again from the hosts that stay expected. */
        @Override
        public HostsRead reads() {
            return HostsRead.every();
        }
    }

    /** Hold back activation: hosts still prepare, nothing becomes active. */
    record Pause(String actor, String reason) implements Command {

        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.pause(this);
        }
    }

    /** Let activation happen again; activates at once if every host is ready. */
    record Resume(String actor, String reason) implements Command {

        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.resume(this);
        }
    }

    /**
     * Withdraw the pending rollout.
     *
     * @param rollout the id of the rollout the operator saw pending, or {@code null} for whichever is pending now;
     *                checked in the same update that cancels, so a target set in between is never cancelled
     */
    record Cancel(String actor, String reason, Long rollout) implements Command {

        /** Cancels whichever rollout is pending. */
        public Cancel(String actor, String reason) {
            this(actor, reason, null);
        }

        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.cancel(this);
        }
    }

    /**
     * Ask the hosts to prepare the pending target again after a permanent failure (its cause fixed outside Lockstep):
     * the rollout's retry generation grows, and with it the desired state every host sees.
     *
     * @param rollout the id of the rollout the operator saw pending, or {@code null} for whichever is pending now
     */
    record Retry(String actor, String reason, Long rollout) implements Command {

        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.retry(this);
        }
    }

    /**
     * The caller found a requirement of the pending rollout met: every expected host of {@code repo} serves
     * {@code commit} or a descendant ({@link Requirement#hostsServing}). Recorded once, then the rollout activates if
     * nothing else holds it. Idempotent: for a rollout that is no longer pending, or a requirement already met or not
     * its own, nothing changes.
     *
     * @param rollout the pending rollout the caller looked at
     * @param hosts   how many hosts serve it (the reason says so)
     */
    record MeetRequirement(long rollout, String repo, String commit, int hosts) implements Command {

        @Override
        public <R> R handledBy(Handler<R> handler) {
            return handler.meetRequirement(this);
        }
    }

    /** How a target commit relates to the active commit along the branch. */
    enum Ancestry {
        /** Nothing is active yet. */
        NO_ACTIVE,
        /** The target is the active commit. */
        SAME,
        /** The target contains the active commit: a move forward. */
        DESCENDANT,
        /** The target lacks the active commit (an ancestor, or on a side line merged earlier): a move back. */
        NOT_DESCENDANT
    }
}

package org.lockstep.manifest.rollout.machine;

import static org.lockstep.manifest.rollout.machine.StatusBuilder.status;

import java.time.Instant;
import java.util.Set;

import org.lockstep.manifest.rollout.machine.Command.Ancestry;
import org.lockstep.manifest.rollout.machine.Command.Cancel;
import org.lockstep.manifest.rollout.machine.Command.ChangeHosts;
import org.lockstep.manifest.rollout.machine.Command.Pause;
import org.lockstep.manifest.rollout.machine.Command.Report;
import org.lockstep.manifest.rollout.machine.Command.Resume;
import org.lockstep.manifest.rollout.machine.Command.SetTarget;

/**
 * One repository driven through {@link RolloutMachine} the way the store drives it: every command gets the next
 * second and the next id, and a changed state is written back (version and, when desired, revision advanced).
 * Commits are positions on one line of the branch: commit i is an ancestor of commit j iff i &lt; j.
 */
final class RepoDriver {

    static final Instant BASE = Instant.parse("2026-11-26T12:00:00Z");

    static final String REPO = "primary";

    /** The agent session of every report made with {@link #last}. */
    static final String SESSION = "agent-session-1";

    private final RolloutMachine machine = new RolloutMachine();

    RepoState state;

    private long lastId;

    private long seconds;

    private long sequence;

    RepoDriver(String... hosts) {
        this.state = RepoState.empty(REPO, Set.of(hosts));
    }

    /** The commit at {@code position} on the branch, as a full lower-case hex id. */
    static String commit(int position) {
        return String.format("%040x", position);
    }

    static int position(String commit) {
        return Integer.parseInt(commit.substring(32), 16);
    }

    static Instant at(long secondsAfterBase) {
        return BASE.plusSeconds(secondsAfterBase);
    }

    /** How {@code commit} relates to {@code active} on the line. */
    static Ancestry ancestry(String active, String commit) {
        if (active == null) {
            return Ancestry.NO_ACTIVE;
        }
        if (active.equals(commit)) {
            return Ancestry.SAME;
        }
        return position(commit) > position(active) ? Ancestry.DESCENDANT : Ancestry.NOT_DESCENDANT;
    }

    /** The time the next command will be applied at. */
    Instant nextNow() {
        return at(seconds + 1);
    }

    /** The id a rollout created by the next command gets. */
    long nextId() {
        return lastId + 1;
    }

    Transition apply(Command command) {
        seconds++;
        lastId++;
        Transition transition = machine.apply(state, command, at(seconds), lastId);
        if (transition.changed()) {
            state = transition.state().written(lastId, transition.desiredChanged());
        }
        return transition;
    }

    SetTarget setTarget(String commit, boolean rollback) {
        return new SetTarget(commit, ancestry(state.active(), commit), rollback, "ci", "deploy " + commit);
    }

    Transition target(String commit) {
        return apply(setTarget(commit, false));
    }

    Transition rollback(String commit) {
        return apply(new SetTarget(commit, ancestry(state.active(), commit), true, "alice", "bad release"));
    }

    Transition report(String host, StatusBuilder status) {
        return apply(new Report(host, status.build()));
    }

    /**
     * What {@code host} last reported, as a builder to change, sent now as the next report of the host's agent
     * session ({@link #SESSION}).
     */
    StatusBuilder last(String host) {
        HostStatus status = state.hosts().get(host);
        return (status == null ? status() : StatusBuilder.from(status)).sentAt(nextNow()).key(SESSION, ++sequence);
    }

    /** {@code host} reports an empty disk. */
    Transition idle(String host) {
        return report(host, status().sentAt(nextNow()).key(SESSION, ++sequence));
    }

    /** {@code host} reports {@code commit} linked as {@code next}, still serving what it served. */
    Transition prepared(String host, String commit) {
        return report(host, last(host).next(commit).preparing(null).error(null, null));
    }

    /** {@code host} reports serving {@code commit}; it switched now unless it already served it. */
    Transition serves(String host, String commit) {
        StatusBuilder last = last(host);
        Instant switchedAt = commit.equals(last.current()) ? last.switchedAt() : nextNow();
        return report(host, last.current(commit).next(commit).switchedAt(switchedAt).preparing(null)
                .error(null, null));
    }

    Transition changeHosts(String... hosts) {
        return apply(new ChangeHosts(Set.of(hosts)));
    }

    Transition pause() {
        return apply(new Pause("alice", "freeze"));
    }

    Transition resume() {
        return apply(new Resume("bob", "thaw"));
    }

    Transition cancel() {
        return apply(new Cancel("alice", "wrong commit"));
    }
}

package org.lockstep.manifest.rollout.machine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.lockstep.manifest.rollout.machine.Command.Ancestry;
import org.lockstep.manifest.rollout.machine.Command.Cancel;
import org.lockstep.manifest.rollout.machine.Command.ChangeHosts;
import org.lockstep.manifest.rollout.machine.Command.Pause;
import org.lockstep.manifest.rollout.machine.Command.Report;
import org.lockstep.manifest.rollout.machine.Command.Resume;
import org.lockstep.manifest.rollout.machine.Command.SetTarget;

/**
 * One repository driven through {@link RolloutMachine} the way the store drives it: every command gets a snapshot
 * with the host entries it reads, the next second and the next id, and what it changed is written back (the
 * summary with version and, when desired, revision advanced; host entries; expected hosts).
 * Commits are positions on one line of the branch: commit i is an ancestor of commit j iff i &lt; j.
 */
final class RepoDriver {

    static final Instant BASE = Instant.parse("2026-11-26T12:00:00Z");

    static final String REPO = "primary";

    /** The agent session of every report made with {@link #last}. */
    static final String SESSION = "agent-session-1";

    private final RolloutMachine machine = new RolloutMachine();

    /** The summary, as the store would have written it. */
    RepoState state;

    /** The expected hosts and every host's entry, as the store keeps them apart from the summary. */
    Set<String> expected;

    final Map<String, HostEntry> entries = new TreeMap<>();

    private long lastId;

    private long seconds;

    private long sequence;

    /** A repository whose expected hosts are {@code hosts}, set as the service sets them at start-up. */
    RepoDriver(String... hosts) {
        this(REPO, hosts);
    }

    private RepoDriver(String repo, String[] hosts) {
        this.state = RepoState.empty(repo);
        this.expected = Set.of();
        apply(new ChangeHosts(Set.of(hosts)));
        seconds = 0;
    }

    /** A repository called {@code repo} (another than {@link #REPO}), with its own line of commits. */
    static RepoDriver named(String repo, String... hosts) {
        return new RepoDriver(repo, hosts);
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

    /** Applies {@code command} to a snapshot with the entries it reads, and keeps what it wrote. */
    Transition apply(Command command) {
        seconds++;
        lastId++;
        Transition transition = machine.apply(snapshot(command.reads()), command, at(seconds), lastId);
        if (transition.changed()) {
            if (transition.summaryChanged()) {
                state = transition.state().written(lastId, transition.desiredChanged());
            }
            Transition.HostChanges hosts = transition.hosts();
            hosts.written().forEach(entry -> entries.put(entry.host(), entry));
            hosts.dropFirst().forEach(entries::remove);
            hosts.dropAfter().forEach(entries::remove);
            if (hosts.expectedHosts() != null) {
                expected = hosts.expectedHosts();
            }
        }
        return transition;
    }

    /** What a store would hand the machine for a command that reads {@code reads}. */
    RepoSnapshot snapshot(HostsRead reads) {
        List<HostEntry> read = reads.all() ? List.copyOf(entries.values())
                : reads.host() != null && entries.containsKey(reads.host()) ? List.of(entries.get(reads.host()))
                : List.of();
        return RepoSnapshot.of(state, expected, read);
    }

    /** What {@code host} last reported (that changed something), or null. */
    HostStatus status(String host) {
        HostEntry entry = entries.get(host);
        return entry == null ? null : entry.status();
    }

    /** The hosts seen with the pending rollout's commit prepared while it was pending. */
    Set<String> preparedHosts() {
        return marked(state.pending(), e -> e.preparedFor(state.pending().id()).isPresent());
    }

    /** The hosts seen switching to the current rollout's commit. */
    Set<String> switchedHosts() {
        return marked(state.current(), e -> e.switchedFor(state.current().id()).isPresent());
    }

    private Set<String> marked(Rollout rollout, Predicate<HostEntry> marked) {
        if (rollout == null) {
            return Set.of();
        }
        Set<String> hosts = new TreeSet<>();
        entries.values().stream().filter(marked).forEach(e -> hosts.add(e.host()));
        return hosts;
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
        HostStatus status = status(host);
        return (status == null ? StatusBuilder.status() : StatusBuilder.from(status)).sentAt(nextNow())
                .key(SESSION, ++sequence);
    }

    /** {@code host} reports an empty disk. */
    Transition idle(String host) {
        return report(host, StatusBuilder.status().sentAt(nextNow()).key(SESSION, ++sequence));
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

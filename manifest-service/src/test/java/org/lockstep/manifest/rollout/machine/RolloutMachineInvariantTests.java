package org.lockstep.manifest.rollout.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstep.manifest.rollout.machine.RepoDriver.commit;
import static org.lockstep.manifest.rollout.machine.RepoDriver.position;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.manifest.rollout.machine.Command.Ancestry;
import org.lockstep.manifest.rollout.machine.Command.Cancel;
import org.lockstep.manifest.rollout.machine.Command.ChangeHosts;
import org.lockstep.manifest.rollout.machine.Command.Pause;
import org.lockstep.manifest.rollout.machine.Command.Report;
import org.lockstep.manifest.rollout.machine.Command.Resume;
import org.lockstep.manifest.rollout.machine.Command.SetTarget;

/**
 * Random but reproducible histories of commands, with docs/design.md's invariants checked against an independent model
 * after every step. Reports arrive late, twice and out of order (replays of what a host sent earlier), from hosts
 * that are not expected, and the expected host set changes under the rollout.
 */
class RolloutMachineInvariantTests {

    private static final List<String> POOL = List.of("a", "b", "c", "d");

    private static final int STEPS = 3000;

    private static final int COMMITS = 12;

    private enum Seen {
        ACTIVATION, ROLLBACK_ACTIVATED, COMPLETION, SUPERSEDED_PENDING, SUPERSEDED_ACTIVATING, CANCELLED,
        NOT_FORWARD, NOTHING_TO_CANCEL, STALE_IGNORED, STRANGER_IGNORED, HELD_BY_PAUSE, HOSTS_CHANGED
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = { 1, 2, 3, 17, 42, 20261126 })
    void invariantsHoldAfterEveryStep(long seed) {
        History history = new History(new Random(seed));
        for (int step = 0; step < STEPS; step++) {
            history.step(step);
        }
        assertThat(history.seen.keySet()).as("seed %d explores every kind of step", seed)
                .containsExactlyInAnyOrder(Seen.values());
    }

    /** The machine, the commands fed to it, and what an independent observer knows. */
    private static final class History {

        private final Random random;

        private final RepoDriver fleet = new RepoDriver("a", "b", "c");

        /** host -> the newest report (by session and sequence) delivered while the host was expected. */
        private final Map<String, HostStatus> latest = new HashMap<>();

        /** host -> everything it ever sent, for late and duplicate deliveries. */
        private final Map<String, List<HostStatus>> sent = new HashMap<>();

        /** host -> what is on its disk: current, next. */
        private final Map<String, String[]> disk = new HashMap<>();

        /** host -> its agent's session and the number of its last report. */
        private final Map<String, String> sessions = new HashMap<>();

        private final Map<String, Long> sequences = new HashMap<>();

        /** host -> when it last switched current, by its own clock. */
        private final Map<String, Instant> switchedAt = new HashMap<>();

        /** id -> the rollout as last observed. */
        private final Map<Long, Rollout> rollouts = new HashMap<>();

        private final Map<Seen, Integer> seen = new EnumMap<>(Seen.class);

        private String context = "";

        /** The expected hosts before the step (after it: {@code fleet.expected}). */
        private Set<String> expectedBefore = Set.of();

        /** For a report: its host's status before the step. */
        private HostStatus storedBefore;

        History(Random random) {
            this.random = random;
        }

        void step(int step) {
            Command command = nextCommand();
            RepoState before = fleet.state;
            expectedBefore = fleet.expected;
            storedBefore = command instanceof Report report ? fleet.status(report.host()) : null;
            long newId = fleet.nextId();
            context = "step " + step + " " + command + "\nbefore " + before;
            Transition transition = null;
            RolloutRejected rejected = null;
            try {
                transition = fleet.apply(command);
            }
            catch (RolloutRejected e) {
                rejected = e;
            }
            RepoState after = fleet.state;
            checkRejection(before, command, rejected);
            if (rejected != null) {
                assertThat(after).as(context).isSameAs(before);
                return;
            }
            observe(before, command);
            checkFlags(before, transition);
            checkActivation(before, after);
            checkShape(after);
            checkRollouts(before, after, transition, newId);
            count(before, after, command, transition);
        }

        // --- invariants ----------------------------------------------------------------------------------------------

        /** Exactly the commands docs/design.md forbids are refused. */
        private void checkRejection(RepoState before, Command command, RolloutRejected rejected) {
            Object expected = null;
            if (command instanceof SetTarget t && t.ancestry() == Ancestry.NOT_DESCENDANT && !t.rollback()
                    && !t.commit().equals(before.active()) && !before.target().map(t.commit()::equals).orElse(false)) {
                expected = RolloutRejected.Kind.NOT_FORWARD;
            }
            if (command instanceof Cancel && before.pending() == null) {
                expected = RolloutRejected.Kind.NOTHING_TO_CANCEL;
            }
            assertThat(rejected == null ? null : rejected.kind()).as(context).isEqualTo(expected);
            if (expected != null) {
                seen.merge(Seen.valueOf(expected.toString()), 1, Integer::sum);
            }
        }

        /** Revision and write flags: the desired state is active, target and expected hosts; nothing else. */
        private void checkFlags(RepoState before, Transition transition) {
            RepoState result = transition.state();
            boolean desired = !Objects.equals(before.active(), result.active())
                    || !before.target().equals(result.target())
                    || !expectedBefore.equals(fleet.expected);
            assertThat(transition.desiredChanged()).as("desiredChanged\n" + context).isEqualTo(desired);
            if (transition.summaryChanged() && !transition.desiredChanged()) {
                assertThat(result).as("a summary write changes the summary\n" + context).isNotEqualTo(before);
            }
            if (transition.changed() && !transition.summaryChanged()) {
                assertThat(result).as("an entry-only write leaves the summary\n" + context).isEqualTo(before);
                assertThat(transition.rollouts()).as(context).isEmpty();
                assertThat(transition.hosts().isEmpty()).as("it writes an entry\n" + context).isFalse();
            }
            if (!transition.changed()) {
                assertThat(result).as("no write, same state\n" + context).isSameAs(before);
                assertThat(transition.rollouts()).as(context).isEmpty();
            }
        }

        /** (a) and (d): when, to what and how active may change; and that it does change when it must. */
        private void checkActivation(RepoState before, RepoState after) {
            if (!Objects.equals(before.active(), after.active())) {
                assertThat(after.active()).as("active never goes back to nothing\n" + context).isNotNull();
                assertThat(after.paused()).as("no activation while paused\n" + context).isFalse();
                for (String host : fleet.expected) {
                    assertThat(prepared(latest.get(host), after.active()))
                            .as("%s's latest report has %s prepared\n%s", host, after.active(), context).isTrue();
                }
                if (before.active() != null && position(after.active()) < position(before.active())) {
                    assertThat(after.current().rollback()).as("moved back without rollback\n" + context).isTrue();
                }
            }
            if (after.pending() != null && !after.paused()) {
                assertThat(fleet.expected.stream().allMatch(h -> prepared(latest.get(h), after.pending()
                        .commit()))).as("every host is ready, yet the target was not activated\n" + context)
                        .isFalse();
            }
            if (after.current() != null) {
                boolean everyHostServes = fleet.expected.stream()
                        .allMatch(h -> latest.get(h) != null && after.active().equals(latest.get(h).current()));
                if (after.current().state() == RolloutState.COMPLETE
                        && (before.current() == null || before.current().id() != after.current().id()
                                || before.current().state() != RolloutState.COMPLETE)) {
                    assertThat(everyHostServes).as("completed before every host served\n" + context).isTrue();
                }
                if (after.current().state() == RolloutState.ACTIVATING) {
                    assertThat(everyHostServes).as("every host serves, yet not complete\n" + context).isFalse();
                }
            }
        }

        /** (b) and the machine's view of the hosts. */
        private void checkShape(RepoState after) {
            if (after.pending() != null) {
                assertThat(after.pending().state()).as(context).isEqualTo(RolloutState.PREPARING);
                assertThat(after.pending().commit()).as(context).isNotEqualTo(after.active());
            }
            if (after.current() != null) {
                assertThat(after.current().state()).as(context).isIn(RolloutState.ACTIVATING, RolloutState.COMPLETE);
            }
            assertThat(after.active()).as(context)
                    .isEqualTo(after.current() == null ? null : after.current().commit());
            assertThat(fleet.expected).as(context).containsAll(fleet.entries.keySet());
            for (String host : fleet.expected) {
                HostStatus model = latest.get(host);
                HostStatus stored = fleet.status(host);
                assertThat(content(stored)).as("%s as stored\n%s", host, context)
                        .isEqualTo(content(model));
            }
            // The counts activation is decided on are those of the entries, kept by difference, never drifting.
            assertThat(after.tally()).as("tally\n" + context).isEqualTo(HostTally.of(fleet.entries.values().stream()
                    .map(HostEntry::status).toList()));
            if (after.pending() != null) {
                assertThat(after.pending().hostsPrepared()).as("prepared count\n" + context)
                        .isEqualTo(fleet.preparedHosts().size());
            }
            if (after.current() != null && after.current().state() == RolloutState.ACTIVATING) {
                assertThat(after.current().hostsSwitched()).as("switched count\n" + context)
                        .isEqualTo(fleet.switchedHosts().size());
            }
        }

        /** (c) and (e): terminal states are final, moves follow the lifecycle, ids are never reused. */
        private void checkRollouts(RepoState before, RepoState after, Transition transition, long newId) {
            List<Rollout> visible = new ArrayList<>(transition.rollouts());
            int created = 0;
            for (Rollout rollout : visible) {
                Rollout earlier = rollouts.get(rollout.id());
                if (earlier == null) {
                    created++;
                    assertThat(rollout.id()).as("a new rollout gets this command's id\n" + context).isEqualTo(newId);
                    assertThat(rollout.events().get(0).action()).as(context).isEqualTo(RolloutAction.CREATED);
                    assertThat(rollout.previous()).as(context).isEqualTo(before.active());
                    continue;
                }
                assertThat(rollout.commit()).as("id reused\n" + context).isEqualTo(earlier.commit());
                assertThat(rollout.createdAt()).as("id reused\n" + context).isEqualTo(earlier.createdAt());
                assertThat(rollout.events()).as("history only grows\n" + context)
                        .startsWith(earlier.events().toArray(RolloutEvent[]::new));
                if (earlier.state().isTerminal()) {
                    assertThat(rollout.state()).as("left a terminal state\n" + context).isEqualTo(earlier.state());
                }
                else if (rollout.state() != earlier.state()) {
                    assertThat(reachable(earlier.state())).as(context).contains(rollout.state());
                }
            }
            assertThat(created).as(context).isLessThanOrEqualTo(1);
            for (Rollout rollout : new Rollout[] { after.pending(), after.current() }) {
                if (rollout != null) {
                    Rollout recorded = visible.stream().filter(r -> r.id() == rollout.id()).findFirst()
                            .orElse(rollouts.get(rollout.id()));
                    assertThat(recorded).as("every change is in the transition\n" + context).isEqualTo(rollout);
                }
            }
            for (Rollout left : new Rollout[] { before.pending(), before.current() }) {
                if (left != null && !isIn(left, after.pending()) && !isIn(left, after.current())
                        && left.state() != RolloutState.COMPLETE) {
                    Rollout ended = visible.stream().filter(r -> r.id() == left.id()).findFirst().orElse(null);
                    assertThat(ended).as("a rollout that leaves the state is recorded\n" + context).isNotNull();
                    assertThat(ended.state()).as(context).isIn(RolloutState.SUPERSEDED, RolloutState.CANCELLED);
                }
            }
            visible.forEach(r -> rollouts.put(r.id(), r));
        }

        // --- the model -----------------------------------------------------------------------------------------------

        private void observe(RepoState before, Command command) {
            if (command instanceof Report report && expectedBefore.contains(report.host())) {
                // The latest report as the manifest can know it: the last one recorded. A report with the same disk
                // state as the recorded one is a heartbeat and is not recorded (no write), so its key is not either;
                // a late report numbered between the two had that same disk state, so taking it changes nothing.
                HostStatus known = latest.get(report.host());
                if (known == null || !report.status().isStaleNextTo(known)
                        && !content(report.status()).equals(content(known))) {
                    latest.put(report.host(), report.status());
                }
            }
            if (command instanceof ChangeHosts change) {
                latest.keySet().retainAll(change.hosts());
            }
        }

        /** What a report says about the disk, whenever it was sent. */
        private static List<Object> content(HostStatus status) {
            return status == null ? null : java.util.Arrays.asList(status.current(), status.next(), status.preparing(),
                    status.error(), status.errorCommit(), status.switchedAt());
        }

        private static boolean prepared(HostStatus status, String commit) {
            return status != null && (commit.equals(status.next()) || commit.equals(status.current()));
        }

        private static Set<RolloutState> reachable(RolloutState from) {
            return switch (from) {
                case PREPARING -> Set.of(RolloutState.ACTIVATING, RolloutState.COMPLETE, RolloutState.SUPERSEDED,
                        RolloutState.CANCELLED);
                case ACTIVATING -> Set.of(RolloutState.COMPLETE, RolloutState.SUPERSEDED);
                default -> Set.of();
            };
        }

        private static boolean isIn(Rollout rollout, Rollout other) {
            return other != null && other.id() == rollout.id();
        }

        private void count(RepoState before, RepoState after, Command command, Transition transition) {
            if (!Objects.equals(before.active(), after.active())) {
                seen.merge(Seen.ACTIVATION, 1, Integer::sum);
                if (after.current().rollback()) {
                    seen.merge(Seen.ROLLBACK_ACTIVATED, 1, Integer::sum);
                }
            }
            for (Rollout r : transition.rollouts()) {
                RolloutState was = isIn(r, before.pending()) ? before.pending().state()
                        : isIn(r, before.current()) ? before.current().state() : null;
                if (r.state() == was) {
                    continue;
                }
                if (r.state() == RolloutState.COMPLETE) {
                    seen.merge(Seen.COMPLETION, 1, Integer::sum);
                }
                if (r.state() == RolloutState.CANCELLED) {
                    seen.merge(Seen.CANCELLED, 1, Integer::sum);
                }
                if (r.state() == RolloutState.SUPERSEDED) {
                    seen.merge(r.enteredAt(RolloutState.ACTIVATING).isPresent() ? Seen.SUPERSEDED_ACTIVATING
                            : Seen.SUPERSEDED_PENDING, 1, Integer::sum);
                }
            }
            if (command instanceof Report report && !transition.changed()) {
                HostStatus stored = storedBefore;
                if (!expectedBefore.contains(report.host())) {
                    seen.merge(Seen.STRANGER_IGNORED, 1, Integer::sum);
                }
                else if (report.status().isStaleNextTo(stored)
                        && !content(report.status()).equals(content(stored))) {
                    seen.merge(Seen.STALE_IGNORED, 1, Integer::sum);
                }
            }
            if (after.paused() && after.pending() != null
                    && fleet.expected.stream()
                            .allMatch(h -> prepared(latest.get(h), after.pending().commit()))) {
                seen.merge(Seen.HELD_BY_PAUSE, 1, Integer::sum);
            }
            if (!expectedBefore.equals(fleet.expected)) {
                seen.merge(Seen.HOSTS_CHANGED, 1, Integer::sum);
            }
        }

        // --- the generator -------------------------------------------------------------------------------------------

        private Command nextCommand() {
            int roll = random.nextInt(100);
            if (roll < 5) {
                return target();
            }
            if (roll < 70) {
                return freshReport();
            }
            if (roll < 82) {
                return lateReport();
            }
            if (roll < 85) {
                Set<String> hosts = new TreeSet<>();
                while (hosts.isEmpty()) {
                    POOL.stream().filter(h -> random.nextInt(4) > 0).forEach(hosts::add);
                }
                return new ChangeHosts(hosts);
            }
            if (roll < 88) {
                return new Pause("alice", "freeze");
            }
            if (roll < 97) {
                return new Resume("bob", "thaw");
            }
            return new Cancel("alice", "withdraw");
        }

        private SetTarget target() {
            RepoState state = fleet.state;
            int active = state.active() == null ? 0 : position(state.active());
            int roll = random.nextInt(10);
            int position;
            if (roll < 5) {
                position = Math.min(COMMITS, active + 1 + random.nextInt(3));
            }
            else if (roll < 8) {
                position = 1 + random.nextInt(COMMITS);
            }
            else if (roll < 9 && state.pending() != null) {
                position = position(state.pending().commit());
            }
            else {
                position = Math.max(1, active);
            }
            return fleet.setTarget(commit(position), random.nextInt(3) == 0);
        }

        private Report freshReport() {
            List<String> expected = fleet.expected.stream().sorted().toList();
            int who = random.nextInt(20);
            String host = who == 0 ? "z"
                    : who < 4 || expected.isEmpty() ? POOL.get(random.nextInt(POOL.size()))
                    : expected.get(random.nextInt(expected.size()));
            String[] onDisk = disk.computeIfAbsent(host, h -> new String[2]);
            RepoState state = fleet.state;
            String wanted = state.target().orElse(state.active());
            Instant now = fleet.nextNow();
            String preparing = null;
            String error = null;
            String errorCommit = null;
            int roll = random.nextInt(100);
            if (roll < 60 && wanted != null) {
                onDisk[1] = wanted;
            }
            else if (roll < 67 && state.active() != null) {
                switchTo(host, onDisk, state.active(), now);
            }
            else if (roll < 71) {
                onDisk[1] = null;
            }
            else if (roll < 76) {
                onDisk[1] = commit(1 + random.nextInt(COMMITS + 3));
            }
            else if (roll < 82 && onDisk[1] != null) {
                switchTo(host, onDisk, onDisk[1], now);
            }
            else if (roll < 88) {
                error = "verify-command exited 1";
                errorCommit = wanted;
            }
            else if (roll < 93) {
                preparing = wanted;
            }
            else if (roll < 95) {
                // The agent restarts: a new session, numbered from 1 again; the disk stays as it is.
                sessions.put(host, host + "-" + (sessions.size() + random.nextInt(1000)));
                sequences.put(host, 0L);
            }
            // else: a heartbeat, same disk as before
            Instant switched = switchedAt.get(host);
            String session = sessions.computeIfAbsent(host, h -> h + "-first");
            long sequence = sequences.merge(host, 1L, Long::sum);
            HostStatus status = new HostStatus(onDisk[0], onDisk[1], preparing, error, errorCommit, switched, now,
                    false, null, 0, session, sequence);
            sent.computeIfAbsent(host, h -> new ArrayList<>()).add(status);
            return new Report(host, status);
        }

        private void switchTo(String host, String[] onDisk, String commit, Instant now) {
            if (!commit.equals(onDisk[0])) {
                onDisk[0] = commit;
                switchedAt.put(host, now);
            }
            if (onDisk[1] == null) {
                onDisk[1] = commit;
            }
        }

        private Command lateReport() {
            List<String> hosts = sent.keySet().stream().sorted().toList();
            if (hosts.isEmpty()) {
                return freshReport();
            }
            String host = hosts.get(random.nextInt(hosts.size()));
            List<HostStatus> earlier = sent.get(host);
            HostStatus status = earlier.get(random.nextInt(earlier.size()));
            return new Report(host, status);
        }
    }
}

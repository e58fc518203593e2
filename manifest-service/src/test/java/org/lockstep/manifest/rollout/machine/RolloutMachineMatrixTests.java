package org.lockstep.manifest.rollout.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.lockstep.manifest.rollout.machine.RepoDriver.commit;
import static org.lockstep.manifest.rollout.machine.RepoDriver.position;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockstep.manifest.rollout.machine.Command.Cancel;
import org.lockstep.manifest.rollout.machine.Command.ChangeHosts;
import org.lockstep.manifest.rollout.machine.Command.Pause;
import org.lockstep.manifest.rollout.machine.Command.Report;
import org.lockstep.manifest.rollout.machine.Command.Resume;

/**
 * Every situation a repository can be in x every event, one row each. Hosts {@code a} and {@code b} are expected;
 * commits {@code c1..c4} lie on one line of the branch, {@code c9} was never a target.
 * <p>
 * A row reads {@code pending | current | rollouts touched | paused or running | outcome}, where outcome is
 * {@code NONE} (nothing to write), {@code WRITE} (written, same desired state), {@code DESIRED} (desired state
 * changed: revision bumped) or the {@link RolloutRejected.Kind} the command was refused with.
 */
class RolloutMachineMatrixTests {

    /** Where the repository stands before the event. */
    enum Situation {
        /** Nothing was ever targeted; both hosts reported an empty disk. */
        NOTHING(false, f -> {
        }),
        /** c2 is pending; a has prepared it, b has not. */
        PREPARING(false, f -> {
            f.target(commit(2));
            f.prepared("a", commit(2));
        }),
        /** c2 is active; a serves it, b has it prepared. */
        ACTIVATING(false, f -> {
            PREPARING.build.accept(f);
            f.prepared("b", commit(2));
            f.serves("a", commit(2));
        }),
        /** c2 is active and both hosts serve it. */
        COMPLETE(false, f -> {
            ACTIVATING.build.accept(f);
            f.serves("b", commit(2));
        }),
        /** c2 is active, a serves it and has c3 prepared; c3 is pending; b has c2 prepared only. */
        PREPARING_OVER_ACTIVATING(false, f -> {
            ACTIVATING.build.accept(f);
            f.target(commit(3));
            f.prepared("a", commit(3));
        }),
        PAUSED_PREPARING(true, PREPARING.build),
        /** c2 is pending and prepared by both hosts, held back by a pause. */
        PAUSED_READY(true, f -> {
            f.target(commit(2));
            f.pause();
            f.prepared("a", commit(2));
            f.prepared("b", commit(2));
        }),
        PAUSED_ACTIVATING(true, ACTIVATING.build),
        PAUSED_COMPLETE(true, COMPLETE.build),
        PAUSED_PREPARING_OVER_ACTIVATING(true, PREPARING_OVER_ACTIVATING.build);

        final boolean paused;

        final Consumer<RepoDriver> build;

        Situation(boolean paused, Consumer<RepoDriver> build) {
            this.paused = paused;
            this.build = build;
        }

        RepoDriver fleet() {
            RepoDriver fleet = new RepoDriver("a", "b");
            fleet.idle("a");
            fleet.idle("b");
            build.accept(fleet);
            if (paused && !fleet.state.paused()) {
                fleet.pause();
            }
            return fleet;
        }
    }

    /** What happens next. Reports are from b unless said otherwise. */
    enum Event {
        TARGET_C1(f -> f.setTarget(commit(1), false)),
        ROLLBACK_C1(f -> f.setTarget(commit(1), true)),
        TARGET_C2(f -> f.setTarget(commit(2), false)),
        TARGET_C3(f -> f.setTarget(commit(3), false)),
        TARGET_C4(f -> f.setTarget(commit(4), false)),
        /** b links the latest target (the pending commit, else c2) as next. */
        REPORT_PREPARED(f -> new Report("b", f.last("b").next(latestTarget(f)).build())),
        /** b serves the active commit (else c2). */
        REPORT_SERVING(f -> {
            String commit = f.state.active() != null ? f.state.active() : commit(2);
            StatusBuilder last = f.last("b");
            return new Report("b", last.current(commit).next(commit)
                    .switchedAt(commit.equals(last.current()) ? last.switchedAt() : f.nextNow()).build());
        }),
        REPORT_UNKNOWN_COMMIT(f -> new Report("b", f.last("b").next(commit(9)).build())),
        REPORT_UNEXPECTED_HOST(f -> new Report("z", StatusBuilder.status().current(latestTarget(f))
                .next(latestTarget(f)).sentAt(f.nextNow()).build())),
        /** b's report that it prepared the latest target, numbered before everything b reported in its session. */
        REPORT_STALE(f -> new Report("b", f.last("b").current(latestTarget(f)).next(latestTarget(f))
                .key(RepoDriver.SESSION, 0).build())),
        HOST_ADDED(f -> new ChangeHosts(Set.of("a", "b", "c"))),
        HOST_REMOVED(f -> new ChangeHosts(Set.of("a"))),
        PAUSE(f -> new Pause("alice", "freeze")),
        RESUME(f -> new Resume("alice", "thaw")),
        CANCEL(f -> new Cancel("alice", "withdraw"));

        final Function<RepoDriver, Command> command;

        Event(Function<RepoDriver, Command> command) {
            this.command = command;
        }

        private static String latestTarget(RepoDriver f) {
            return f.state.target().orElse(commit(2));
        }
    }

    record Row(Situation situation, Event event, String expected) {

        @Override
        public String toString() {
            return situation + " + " + event + " -> " + expected;
        }
    }

    private static final List<Row> ROWS = new ArrayList<>();

    private static void row(Situation situation, Event event, String expected) {
        ROWS.add(new Row(situation, event, expected));
    }

    static {
        Situation s = Situation.NOTHING;
        row(s, Event.TARGET_C1, "c1 | - | c1 PREPARING | running | DESIRED");
        row(s, Event.ROLLBACK_C1, "c1 | - | c1 PREPARING | running | DESIRED");
        row(s, Event.TARGET_C2, "c2 | - | c2 PREPARING | running | DESIRED");
        row(s, Event.TARGET_C3, "c3 | - | c3 PREPARING | running | DESIRED");
        row(s, Event.TARGET_C4, "c4 | - | c4 PREPARING | running | DESIRED");
        row(s, Event.REPORT_PREPARED, "- | - | - | running | WRITE");
        row(s, Event.REPORT_SERVING, "- | - | - | running | WRITE");
        row(s, Event.REPORT_UNKNOWN_COMMIT, "- | - | - | running | WRITE");
        row(s, Event.REPORT_UNEXPECTED_HOST, "- | - | - | running | NONE");
        row(s, Event.REPORT_STALE, "- | - | - | running | NONE");
        row(s, Event.HOST_ADDED, "- | - | - | running | DESIRED");
        row(s, Event.HOST_REMOVED, "- | - | - | running | DESIRED");
        row(s, Event.PAUSE, "- | - | - | paused | WRITE");
        row(s, Event.RESUME, "- | - | - | running | NONE");
        row(s, Event.CANCEL, "- | - | - | running | NOTHING_TO_CANCEL");

        s = Situation.PREPARING;
        row(s, Event.TARGET_C1, "c1 | - | c2 SUPERSEDED, c1 PREPARING | running | DESIRED");
        row(s, Event.ROLLBACK_C1, "c1 | - | c2 SUPERSEDED, c1 PREPARING | running | DESIRED");
        row(s, Event.TARGET_C2, "c2 | - | - | running | NONE");
        row(s, Event.TARGET_C3, "c3 | - | c2 SUPERSEDED, c3 PREPARING | running | DESIRED");
        row(s, Event.TARGET_C4, "c4 | - | c2 SUPERSEDED, c4 PREPARING | running | DESIRED");
        row(s, Event.REPORT_PREPARED, "- | c2 ACTIVATING | c2 ACTIVATING | running | DESIRED");
        row(s, Event.REPORT_SERVING, "- | c2 ACTIVATING | c2 ACTIVATING | running | DESIRED");
        row(s, Event.REPORT_UNKNOWN_COMMIT, "c2 | - | - | running | WRITE");
        row(s, Event.REPORT_UNEXPECTED_HOST, "c2 | - | - | running | NONE");
        row(s, Event.REPORT_STALE, "c2 | - | - | running | NONE");
        row(s, Event.HOST_ADDED, "c2 | - | - | running | DESIRED");
        row(s, Event.HOST_REMOVED, "- | c2 ACTIVATING | c2 ACTIVATING | running | DESIRED");
        row(s, Event.PAUSE, "c2 | - | c2 PREPARING | paused | WRITE");
        row(s, Event.RESUME, "c2 | - | - | running | NONE");
        row(s, Event.CANCEL, "- | - | c2 CANCELLED | running | DESIRED");

        s = Situation.ACTIVATING;
        row(s, Event.TARGET_C1, "- | c2 ACTIVATING | - | running | NOT_FORWARD");
        row(s, Event.ROLLBACK_C1, "c1 | c2 ACTIVATING | c1 PREPARING | running | DESIRED");
        row(s, Event.TARGET_C2, "- | c2 ACTIVATING | - | running | NONE");
        row(s, Event.TARGET_C3, "c3 | c2 ACTIVATING | c3 PREPARING | running | DESIRED");
        row(s, Event.TARGET_C4, "c4 | c2 ACTIVATING | c4 PREPARING | running | DESIRED");
        row(s, Event.REPORT_PREPARED, "- | c2 ACTIVATING | - | running | NONE");
        row(s, Event.REPORT_SERVING, "- | c2 COMPLETE | c2 COMPLETE | running | WRITE");
        row(s, Event.REPORT_UNKNOWN_COMMIT, "- | c2 ACTIVATING | - | running | WRITE");
        row(s, Event.REPORT_UNEXPECTED_HOST, "- | c2 ACTIVATING | - | running | NONE");
        row(s, Event.REPORT_STALE, "- | c2 ACTIVATING | - | running | NONE");
        row(s, Event.HOST_ADDED, "- | c2 ACTIVATING | - | running | DESIRED");
        row(s, Event.HOST_REMOVED, "- | c2 COMPLETE | c2 COMPLETE | running | DESIRED");
        row(s, Event.PAUSE, "- | c2 ACTIVATING | c2 ACTIVATING | paused | WRITE");
        row(s, Event.RESUME, "- | c2 ACTIVATING | - | running | NONE");
        row(s, Event.CANCEL, "- | c2 ACTIVATING | - | running | NOTHING_TO_CANCEL");

        s = Situation.COMPLETE;
        row(s, Event.TARGET_C1, "- | c2 COMPLETE | - | running | NOT_FORWARD");
        row(s, Event.ROLLBACK_C1, "c1 | c2 COMPLETE | c1 PREPARING | running | DESIRED");
        row(s, Event.TARGET_C2, "- | c2 COMPLETE | - | running | NONE");
        row(s, Event.TARGET_C3, "c3 | c2 COMPLETE | c3 PREPARING | running | DESIRED");
        row(s, Event.TARGET_C4, "c4 | c2 COMPLETE | c4 PREPARING | running | DESIRED");
        row(s, Event.REPORT_PREPARED, "- | c2 COMPLETE | - | running | NONE");
        row(s, Event.REPORT_SERVING, "- | c2 COMPLETE | - | running | NONE");
        row(s, Event.REPORT_UNKNOWN_COMMIT, "- | c2 COMPLETE | - | running | WRITE");
        row(s, Event.REPORT_UNEXPECTED_HOST, "- | c2 COMPLETE | - | running | NONE");
        row(s, Event.REPORT_STALE, "- | c2 COMPLETE | - | running | NONE");
        row(s, Event.HOST_ADDED, "- | c2 COMPLETE | - | running | DESIRED");
        row(s, Event.HOST_REMOVED, "- | c2 COMPLETE | - | running | DESIRED");
        row(s, Event.PAUSE, "- | c2 COMPLETE | c2 COMPLETE | paused | WRITE");
        row(s, Event.RESUME, "- | c2 COMPLETE | - | running | NONE");
        row(s, Event.CANCEL, "- | c2 COMPLETE | - | running | NOTHING_TO_CANCEL");

        s = Situation.PREPARING_OVER_ACTIVATING;
        row(s, Event.TARGET_C1, "c3 | c2 ACTIVATING | - | running | NOT_FORWARD");
        row(s, Event.ROLLBACK_C1, "c1 | c2 ACTIVATING | c3 SUPERSEDED, c1 PREPARING | running | DESIRED");
        row(s, Event.TARGET_C2, "- | c2 ACTIVATING | c3 SUPERSEDED | running | DESIRED");
        row(s, Event.TARGET_C3, "c3 | c2 ACTIVATING | - | running | NONE");
        row(s, Event.TARGET_C4, "c4 | c2 ACTIVATING | c3 SUPERSEDED, c4 PREPARING | running | DESIRED");
        row(s, Event.REPORT_PREPARED, "- | c3 ACTIVATING | c2 SUPERSEDED, c3 ACTIVATING | running | DESIRED");
        row(s, Event.REPORT_SERVING, "c3 | c2 COMPLETE | c2 COMPLETE | running | WRITE");
        row(s, Event.REPORT_UNKNOWN_COMMIT, "c3 | c2 ACTIVATING | - | running | WRITE");
        row(s, Event.REPORT_UNEXPECTED_HOST, "c3 | c2 ACTIVATING | - | running | NONE");
        row(s, Event.REPORT_STALE, "c3 | c2 ACTIVATING | - | running | NONE");
        row(s, Event.HOST_ADDED, "c3 | c2 ACTIVATING | - | running | DESIRED");
        row(s, Event.HOST_REMOVED, "- | c3 ACTIVATING | c2 SUPERSEDED, c3 ACTIVATING | running | DESIRED");
        row(s, Event.PAUSE, "c3 | c2 ACTIVATING | c3 PREPARING | paused | WRITE");
        row(s, Event.RESUME, "c3 | c2 ACTIVATING | - | running | NONE");
        row(s, Event.CANCEL, "- | c2 ACTIVATING | c3 CANCELLED | running | DESIRED");

        s = Situation.PAUSED_PREPARING;
        row(s, Event.TARGET_C1, "c1 | - | c2 SUPERSEDED, c1 PREPARING | paused | DESIRED");
        row(s, Event.ROLLBACK_C1, "c1 | - | c2 SUPERSEDED, c1 PREPARING | paused | DESIRED");
        row(s, Event.TARGET_C2, "c2 | - | - | paused | NONE");
        row(s, Event.TARGET_C3, "c3 | - | c2 SUPERSEDED, c3 PREPARING | paused | DESIRED");
        row(s, Event.TARGET_C4, "c4 | - | c2 SUPERSEDED, c4 PREPARING | paused | DESIRED");
        row(s, Event.REPORT_PREPARED, "c2 | - | c2 PREPARING | paused | WRITE");
        row(s, Event.REPORT_SERVING, "c2 | - | c2 PREPARING | paused | WRITE");
        row(s, Event.REPORT_UNKNOWN_COMMIT, "c2 | - | - | paused | WRITE");
        row(s, Event.REPORT_UNEXPECTED_HOST, "c2 | - | - | paused | NONE");
        row(s, Event.REPORT_STALE, "c2 | - | - | paused | NONE");
        row(s, Event.HOST_ADDED, "c2 | - | - | paused | DESIRED");
        row(s, Event.HOST_REMOVED, "c2 | - | - | paused | DESIRED");
        row(s, Event.PAUSE, "c2 | - | - | paused | NONE");
        row(s, Event.RESUME, "c2 | - | c2 PREPARING | running | WRITE");
        row(s, Event.CANCEL, "- | - | c2 CANCELLED | paused | DESIRED");

        s = Situation.PAUSED_READY;
        row(s, Event.TARGET_C1, "c1 | - | c2 SUPERSEDED, c1 PREPARING | paused | DESIRED");
        row(s, Event.ROLLBACK_C1, "c1 | - | c2 SUPERSEDED, c1 PREPARING | paused | DESIRED");
        row(s, Event.TARGET_C2, "c2 | - | - | paused | NONE");
        row(s, Event.TARGET_C3, "c3 | - | c2 SUPERSEDED, c3 PREPARING | paused | DESIRED");
        row(s, Event.TARGET_C4, "c4 | - | c2 SUPERSEDED, c4 PREPARING | paused | DESIRED");
        row(s, Event.REPORT_PREPARED, "c2 | - | - | paused | NONE");
        row(s, Event.REPORT_SERVING, "c2 | - | - | paused | WRITE");
        row(s, Event.REPORT_UNKNOWN_COMMIT, "c2 | - | - | paused | WRITE");
        row(s, Event.REPORT_UNEXPECTED_HOST, "c2 | - | - | paused | NONE");
        row(s, Event.REPORT_STALE, "c2 | - | - | paused | NONE");
        row(s, Event.HOST_ADDED, "c2 | - | - | paused | DESIRED");
        row(s, Event.HOST_REMOVED, "c2 | - | c2 PREPARING | paused | DESIRED");
        row(s, Event.PAUSE, "c2 | - | - | paused | NONE");
        row(s, Event.RESUME, "- | c2 ACTIVATING | c2 ACTIVATING | running | DESIRED");
        row(s, Event.CANCEL, "- | - | c2 CANCELLED | paused | DESIRED");

        s = Situation.PAUSED_ACTIVATING;
        row(s, Event.TARGET_C1, "- | c2 ACTIVATING | - | paused | NOT_FORWARD");
        row(s, Event.ROLLBACK_C1, "c1 | c2 ACTIVATING | c1 PREPARING | paused | DESIRED");
        row(s, Event.TARGET_C2, "- | c2 ACTIVATING | - | paused | NONE");
        row(s, Event.TARGET_C3, "c3 | c2 ACTIVATING | c3 PREPARING | paused | DESIRED");
        row(s, Event.TARGET_C4, "c4 | c2 ACTIVATING | c4 PREPARING | paused | DESIRED");
        row(s, Event.REPORT_PREPARED, "- | c2 ACTIVATING | - | paused | NONE");
        row(s, Event.REPORT_SERVING, "- | c2 COMPLETE | c2 COMPLETE | paused | WRITE");
        row(s, Event.REPORT_UNKNOWN_COMMIT, "- | c2 ACTIVATING | - | paused | WRITE");
        row(s, Event.REPORT_UNEXPECTED_HOST, "- | c2 ACTIVATING | - | paused | NONE");
        row(s, Event.REPORT_STALE, "- | c2 ACTIVATING | - | paused | NONE");
        row(s, Event.HOST_ADDED, "- | c2 ACTIVATING | - | paused | DESIRED");
        row(s, Event.HOST_REMOVED, "- | c2 COMPLETE | c2 COMPLETE | paused | DESIRED");
        row(s, Event.PAUSE, "- | c2 ACTIVATING | - | paused | NONE");
        row(s, Event.RESUME, "- | c2 ACTIVATING | c2 ACTIVATING | running | WRITE");
        row(s, Event.CANCEL, "- | c2 ACTIVATING | - | paused | NOTHING_TO_CANCEL");

        s = Situation.PAUSED_COMPLETE;
        row(s, Event.TARGET_C1, "- | c2 COMPLETE | - | paused | NOT_FORWARD");
        row(s, Event.ROLLBACK_C1, "c1 | c2 COMPLETE | c1 PREPARING | paused | DESIRED");
        row(s, Event.TARGET_C2, "- | c2 COMPLETE | - | paused | NONE");
        row(s, Event.TARGET_C3, "c3 | c2 COMPLETE | c3 PREPARING | paused | DESIRED");
        row(s, Event.TARGET_C4, "c4 | c2 COMPLETE | c4 PREPARING | paused | DESIRED");
        row(s, Event.REPORT_PREPARED, "- | c2 COMPLETE | - | paused | NONE");
        row(s, Event.REPORT_SERVING, "- | c2 COMPLETE | - | paused | NONE");
        row(s, Event.REPORT_UNKNOWN_COMMIT, "- | c2 COMPLETE | - | paused | WRITE");
        row(s, Event.REPORT_UNEXPECTED_HOST, "- | c2 COMPLETE | - | paused | NONE");
        row(s, Event.REPORT_STALE, "- | c2 COMPLETE | - | paused | NONE");
        row(s, Event.HOST_ADDED, "- | c2 COMPLETE | - | paused | DESIRED");
        row(s, Event.HOST_REMOVED, "- | c2 COMPLETE | - | paused | DESIRED");
        row(s, Event.PAUSE, "- | c2 COMPLETE | - | paused | NONE");
        row(s, Event.RESUME, "- | c2 COMPLETE | c2 COMPLETE | running | WRITE");
        row(s, Event.CANCEL, "- | c2 COMPLETE | - | paused | NOTHING_TO_CANCEL");

        s = Situation.PAUSED_PREPARING_OVER_ACTIVATING;
        row(s, Event.TARGET_C1, "c3 | c2 ACTIVATING | - | paused | NOT_FORWARD");
        row(s, Event.ROLLBACK_C1, "c1 | c2 ACTIVATING | c3 SUPERSEDED, c1 PREPARING | paused | DESIRED");
        row(s, Event.TARGET_C2, "- | c2 ACTIVATING | c3 SUPERSEDED | paused | DESIRED");
        row(s, Event.TARGET_C3, "c3 | c2 ACTIVATING | - | paused | NONE");
        row(s, Event.TARGET_C4, "c4 | c2 ACTIVATING | c3 SUPERSEDED, c4 PREPARING | paused | DESIRED");
        row(s, Event.REPORT_PREPARED, "c3 | c2 ACTIVATING | c3 PREPARING | paused | WRITE");
        row(s, Event.REPORT_SERVING, "c3 | c2 COMPLETE | c2 COMPLETE | paused | WRITE");
        row(s, Event.REPORT_UNKNOWN_COMMIT, "c3 | c2 ACTIVATING | - | paused | WRITE");
        row(s, Event.REPORT_UNEXPECTED_HOST, "c3 | c2 ACTIVATING | - | paused | NONE");
        row(s, Event.REPORT_STALE, "c3 | c2 ACTIVATING | - | paused | NONE");
        row(s, Event.HOST_ADDED, "c3 | c2 ACTIVATING | - | paused | DESIRED");
        row(s, Event.HOST_REMOVED, "c3 | c2 COMPLETE | c2 COMPLETE | paused | DESIRED");
        row(s, Event.PAUSE, "c3 | c2 ACTIVATING | - | paused | NONE");
        row(s, Event.RESUME, "c3 | c2 ACTIVATING | c3 PREPARING | running | WRITE");
        row(s, Event.CANCEL, "- | c2 ACTIVATING | c3 CANCELLED | paused | DESIRED");
    }

    static Stream<Row> rows() {
        return ROWS.stream();
    }

    @Test
    void everySituationMeetsEveryEventExactlyOnce() {
        Set<String> seen = new HashSet<>();
        for (Row row : ROWS) {
            assertThat(seen.add(row.situation() + "/" + row.event())).as("duplicate row " + row).isTrue();
        }
        assertThat(seen).hasSize(Situation.values().length * Event.values().length);
    }

    @Test
    void eachSituationIsWhatItSaysItIs() {
        for (Situation situation : Situation.values()) {
            RepoDriver fleet = situation.fleet();
            assertThat(fleet.state.paused()).as(situation.name()).isEqualTo(situation.paused);
            assertThat(fleet.entries).as(situation.name()).containsOnlyKeys("a", "b");
        }
        assertThat(Situation.PREPARING.fleet().preparedHosts()).containsOnly("a");
        assertThat(Situation.PAUSED_READY.fleet().preparedHosts()).containsOnly("a", "b");
        assertThat(Situation.PREPARING_OVER_ACTIVATING.fleet().preparedHosts()).containsOnly("a");
        assertThat(Situation.ACTIVATING.fleet().switchedHosts()).containsOnly("a");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void everyStateMeetsEveryEvent(Row row) {
        String[] cells = Arrays.stream(row.expected().split("\\|")).map(String::trim).toArray(String[]::new);
        assertThat(cells).hasSize(5);
        RepoDriver fleet = row.situation().fleet();
        RepoState before = fleet.state;
        Command command = row.event().command.apply(fleet);
        String outcome = cells[4];

        List<Transition> applied = new ArrayList<>();
        Throwable thrown = catchThrowable(() -> applied.add(fleet.apply(command)));

        if (EnumSet.allOf(RolloutRejected.Kind.class).stream().anyMatch(k -> k.name().equals(outcome))) {
            assertThat(thrown).isInstanceOfSatisfying(RolloutRejected.class,
                    e -> assertThat(e.kind().name()).isEqualTo(outcome));
            assertThat(fleet.state).isSameAs(before);
        }
        else {
            assertThat(thrown).as("not rejected").isNull();
        }
        Transition transition = applied.isEmpty() ? null : applied.get(0);
        switch (outcome) {
            case "NONE" -> {
                assertThat(transition.changed()).as("write").isFalse();
                assertThat(transition.state()).isSameAs(before);
            }
            case "WRITE" -> {
                assertThat(transition.changed()).as("write").isTrue();
                assertThat(transition.desiredChanged()).as("desired changed").isFalse();
                assertThat(fleet.state.revision()).isEqualTo(before.revision());
            }
            case "DESIRED" -> {
                assertThat(transition.changed()).as("write").isTrue();
                assertThat(transition.desiredChanged()).as("desired changed").isTrue();
                assertThat(fleet.state.revision()).isGreaterThan(before.revision());
            }
            default -> {
            }
        }
        RepoState after = fleet.state;
        assertThat(describePending(after.pending())).as("pending").isEqualTo(cells[0]);
        if (after.pending() != null) {
            assertThat(after.pending().state()).isEqualTo(RolloutState.PREPARING);
        }
        assertThat(describe(after.current())).as("current").isEqualTo(cells[1]);
        assertThat(after.active()).as("active").isEqualTo(after.current() == null ? null : after.current().commit());
        List<String> touched = thrown != null || !transition.changed() ? List.of()
                : transition.rollouts().stream().map(RolloutMachineMatrixTests::describe).toList();
        if (cells[2].equals("-")) {
            assertThat(touched).as("rollouts touched").isEmpty();
        }
        else {
            assertThat(touched).as("rollouts touched").containsExactlyInAnyOrder(cells[2].split(",\\s*"));
        }
        assertThat(after.paused() ? "paused" : "running").as("paused").isEqualTo(cells[3]);
    }

    private static String describe(Rollout rollout) {
        return rollout == null ? "-" : "c" + position(rollout.commit()) + " " + rollout.state();
    }

    private static String describePending(Rollout rollout) {
        return rollout == null ? "-" : "c" + position(rollout.commit());
    }
}

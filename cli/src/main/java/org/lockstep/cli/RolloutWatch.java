package org.lockstep.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.lockstep.cli.Views.Blocked;
import org.lockstep.cli.Views.Event;
import org.lockstep.cli.Views.Repo;
import org.lockstep.cli.Views.Rollout;
import org.lockstep.cli.Views.State;

/**
 * Compares successive looks at one rollout: what changed since the last look ({@link #observe}), and whether
 * waiting is over ({@link #verdict}). Plain Java, no I/O and no clock: the caller passes the time, so every rule is
 * tested on its own.
 * <p>
 * A permanent error ends the wait with {@link ExitCode#FAILED} once every expected host has either prepared or
 * reported an error, or {@code settle} after the first permanent error, whichever comes first: CI learns about a
 * broken commit within seconds, with every failing host named rather than only the fastest one.
 */
final class RolloutWatch {

    /** Audit actions that are states (printed as their own events), not operator notes. */
    private static final Set<String> STATES = Set.of("CREATED", "ACTIVATING", "COMPLETE", "SUPERSEDED", "CANCELLED");

    private final Duration settle;

    private final Verdicts verdicts = new Verdicts();

    private Rollout last;

    private Map<String, Blocked> blocked = Map.of();

    private int eventsSeen;

    private Instant firstPermanent;

    RolloutWatch(Duration settle) {
        this.settle = settle;
    }

    /** The changes between the previous look and this one (on the first look: everything that already happened). */
    List<WaitEvent> observe(Rollout rollout, Instant now) {
        List<WaitEvent> changes = new ArrayList<>();
        Map<String, Instant> preparedBefore = last == null ? Map.of() : last.prepared();
        Map<String, Instant> switchedBefore = last == null ? Map.of() : last.switched();
        int count = countKnown(preparedBefore, rollout.prepared());
        for (Map.Entry<String, Instant> host : added(preparedBefore, rollout.prepared())) {
            changes.add(new WaitEvent.Prepared(host.getKey(), host.getValue(), ++count, rollout.hostsExpected()));
        }
        changes.addAll(errors(rollout));
        boolean activatedBefore = last != null && last.state() != State.PREPARING && last.state() != State.UNKNOWN;
        if (!activatedBefore && rollout.entered(State.ACTIVATING).isPresent()) {
            changes.add(new WaitEvent.Activated(rollout.commit(), rollout.entered(State.ACTIVATING).get().at()));
        }
        count = countKnown(switchedBefore, rollout.switched());
        for (Map.Entry<String, Instant> host : added(switchedBefore, rollout.switched())) {
            changes.add(new WaitEvent.Switched(host.getKey(), host.getValue(), ++count, rollout.hostsExpected()));
        }
        List<Event> events = rollout.events();
        for (int i = eventsSeen; i < events.size(); i++) {
            Event event = events.get(i);
            if (!STATES.contains(event.action())) {
                changes.add(new WaitEvent.Noted(event.action(), event.actor(), event.reason(), event.at()));
            }
        }
        eventsSeen = events.size();
        last = rollout;
        return changes;
    }

    /** Whether waiting is over, and how. */
    Optional<Verdict> verdict(Rollout rollout, Repo repo, Instant now) {
        switch (rollout.state()) {
            case COMPLETE:
                return Optional.of(verdicts.complete(rollout));
            case SUPERSEDED:
                return Optional.of(verdicts.superseded(rollout, repo));
            case CANCELLED:
                return Optional.of(verdicts.cancelled(rollout));
            case PREPARING:
                return failed(rollout, now);
            default:
                return Optional.empty();
        }
    }

    /** The verdict when the timeout passed first. */
    Verdict timedOut(Rollout rollout, Repo repo, Duration timeout, Instant now) {
        return verdicts.timedOut(rollout, repo, timeout, now);
    }

    /** The progress line for a terminal: "3/4 prepared". */
    static String progress(Rollout rollout, Repo repo) {
        String paused = repo != null && repo.isPaused() ? ", activation paused" : "";
        return switch (rollout.state()) {
            case PREPARING -> rollout.hostsPrepared() + "/" + rollout.hostsExpected() + " prepared" + paused
                    + rollout.waitsText();
            case ACTIVATING -> rollout.hostsSwitched() + "/" + rollout.hostsExpected() + " switched";
            default -> rollout.state().name().toLowerCase(Locale.ROOT);
        };
    }

    private Optional<Verdict> failed(Rollout rollout, Instant now) {
        List<Blocked> permanent = permanentErrors(rollout);
        if (permanent.isEmpty()) {
            firstPermanent = null;
            return Optional.empty();
        }
        if (firstPermanent == null) {
            firstPermanent = now;
        }
        // Every host it waits for holds it back with an error (those that do are among those it waits for).
        boolean everyHostSpoke = rollout.blockedTotal() >= rollout.waitingTotal();
        if (everyHostSpoke || !now.isBefore(firstPermanent.plus(settle))) {
            return Optional.of(verdicts.failed(rollout, permanent, now));
        }
        return Optional.empty();
    }

    static List<Blocked> permanentErrors(Rollout rollout) {
        return rollout.blockedBy().stream().filter(Blocked::isPermanent)
                .filter(b -> b.commit() == null || b.commit().equals(rollout.commit()))
                .sorted(Comparator.comparing(Blocked::host)).toList();
    }

    private List<WaitEvent> errors(Rollout rollout) {
        List<WaitEvent> changes = new ArrayList<>();
        Map<String, Blocked> now = new LinkedHashMap<>();
        rollout.blockedBy().stream().sorted(Comparator.comparing(Blocked::host)).forEach(b -> now.put(b.host(), b));
        now.forEach((host, b) -> {
            Blocked before = blocked.get(host);
            if (before == null || !before.equals(b)) {
                changes.add(new WaitEvent.HostError(host, b.commit(), b.error(), b.isPermanent(), b.since()));
            }
        });
        blocked.keySet().stream().filter(host -> !now.containsKey(host)).sorted()
                .forEach(host -> changes.add(new WaitEvent.ErrorCleared(host)));
        blocked = now;
        return changes;
    }

    private static int countKnown(Map<String, Instant> before, Map<String, Instant> after) {
        return (int) after.keySet().stream().filter(before::containsKey).count();
    }

    /** Hosts in {@code after} but not {@code before}, in the order they happened. */
    private static List<Map.Entry<String, Instant>> added(Map<String, Instant> before, Map<String, Instant> after) {
        return after.entrySet().stream().filter(e -> !before.containsKey(e.getKey()))
                .sorted(Map.Entry.<String, Instant>comparingByValue(Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(Map.Entry.comparingByKey()))
                .toList();
    }
}

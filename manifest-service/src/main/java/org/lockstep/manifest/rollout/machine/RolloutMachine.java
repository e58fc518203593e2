package org.lockstep.manifest.rollout.machine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.lockstep.manifest.rollout.machine.Command.Ancestry;
import org.lockstep.manifest.rollout.machine.Command.Cancel;
import org.lockstep.manifest.rollout.machine.Command.ChangeHosts;
import org.lockstep.manifest.rollout.machine.Command.MeetRequirement;
import org.lockstep.manifest.rollout.machine.Command.Pause;
import org.lockstep.manifest.rollout.machine.Command.Report;
import org.lockstep.manifest.rollout.machine.Command.Resume;
import org.lockstep.manifest.rollout.machine.Command.Retry;
import org.lockstep.manifest.rollout.machine.Command.SetTarget;

/**
 * The rollout rules of docs/design.md, as a pure function from (snapshot, command) to a {@link Transition}. No I/O,
 * no clock, no Spring: the caller passes the time and the id a new rollout would get, and persists the result.
 * <ul>
 * <li>A commit becomes active only when every expected host's latest report has it prepared, and not while paused,
 * nor while a {@link Requirement} of its rollout ({@code activate-after}) is unmet: the caller decides that one is met
 * (it needs the other repository and git) and says so with {@link MeetRequirement}.</li>
 * <li>A rollout is complete when every expected host's latest report serves it.</li>
 * <li>A newer target supersedes a pending one; a target that is not a descendant of the active commit needs an
 * explicit rollback.</li>
 * <li>Reports from hosts that are not expected, and stale reports (same agent session, sequence not above the last
 * one recorded; never judged by the host's clock), change nothing.</li>
 * </ul>
 * Both decisions are made on the repository's {@link HostTally}, which a report moves by the difference between its
 * host's previous and new status: a report reads and writes one host's entry and the summary, whatever the size of
 * the fleet. Only a change of the expected hosts reads every entry, to count again.
 */
public final class RolloutMachine {

    /**
     * Applies one command.
     *
     * @param snapshot the summary, the expected hosts and the entries {@link Command#reads()} asked for
     * @param newId    the id a rollout created by this command gets (the store revision this write will produce)
     * @throws RolloutRejected when the command is not allowed in this state; nothing changed
     */
    public Transition apply(RepoSnapshot snapshot, Command command, Instant now, long newId) {
        Draft draft = new Draft(snapshot, now, newId);
        return draft.finish(snapshot.state(), command.handledBy(draft));
    }

    /**
     * The state being changed by one command, with the rollouts and host entries it touched. As the command's handler
     * it returns the rollout the command concerned, or {@code null}.
     */
    private static final class Draft implements Command.Handler<Rollout> {

        private final Instant now;

        private final long newId;

        private final String repo;

        private String active;

        private Rollout current;

        private Rollout pending;

        private boolean paused;

        private HostTally tally;

        private Set<String> expected;

        private final Map<String, HostEntry> read;

        private final Map<String, HostEntry> written = new LinkedHashMap<>();

        private Set<String> newExpected;

        private Set<String> dropFirst = Set.of();

        private Set<String> dropAfter = Set.of();

        private final Map<Long, Rollout> touched = new LinkedHashMap<>();

        private boolean desiredChanged;

        Draft(RepoSnapshot snapshot, Instant now, long newId) {
            RepoState state = snapshot.state();
            this.now = now;
            this.newId = newId;
            this.repo = state.name();
            this.active = state.active();
            this.current = state.current();
            this.pending = state.pending();
            this.paused = state.paused();
            this.tally = state.tally();
            this.expected = snapshot.expectedHosts();
            this.read = snapshot.hosts();
        }

        @Override
        public Rollout setTarget(SetTarget target) {
            String commit = target.commit();
            if (pending != null && pending.commit().equals(commit)) {
                return pending;
            }
            if (commit.equals(active)) {
                // Asking for what is already active withdraws whatever was pending in favour of it.
                if (pending != null) {
                    touch(pending.moveTo(RolloutState.SUPERSEDED, now, target.actor(),
                            "target set back to the active commit"));
                    pending = null;
                    desiredChanged = true;
                }
                return current;
            }
            if (target.ancestry() == Ancestry.NOT_DESCENDANT && !target.rollback()) {
                throw new RolloutRejected(RolloutRejected.Kind.NOT_FORWARD, "commit " + commit
                        + " does not contain the active commit " + active + "; set rollback to go back");
            }
            List<Requirement> unmet = target.requires().stream().map(r -> Requirement.unmet(r.repo(), r.commit()))
                    .toList();
            Rollout created = Rollout.create(newId, repo, commit, active, target.rollback(), target.actor(),
                    target.reason(), now, unmet);
            for (Requirement already : target.requires()) {
                if (already.satisfied()) {
                    created = created.withRequirementMet(already, now, already.text()
                            + " is served by every expected host of " + already.repo() + " already");
                }
            }
            if (pending != null) {
                touch(pending.moveTo(RolloutState.SUPERSEDED, now, target.actor(), "superseded by rollout " + newId));
            }
            pending = touch(created);
            desiredChanged = true;
            settle();
            return touched.get(newId);
        }

        @Override
        public Rollout report(Report report) {
            String host = report.host();
            if (!expected.contains(host)) {
                return null;
            }
            HostEntry before = read.get(host);
            HostStatus status = report.status();
            if (before != null && status.isStaleNextTo(before.status())) {
                return null;
            }
            HostEntry entry = before;
            if (before == null || !status.sameContentAs(before.status())) {
                tally = tally.replace(before == null ? null : before.status(), status);
                entry = before == null ? new HostEntry(host, status, null, null) : before.withStatus(status);
            }
            // Also on a heartbeat: a host that had the commit before the target was set is counted now.
            entry = markPrepared(entry);
            activateIfReady();
            entry = markSwitched(entry);
            completeIfServed();
            if (!entry.equals(before)) {
                written.put(host, entry);
            }
            return null;
        }

        @Override
        public Rollout changeHosts(ChangeHosts change) {
            Set<String> next = Set.copyOf(change.hosts());
            if (next.equals(expected)) {
                return null;
            }
            List<HostEntry> kept = new ArrayList<>();
            Set<String> first = new HashSet<>();
            Set<String> after = new HashSet<>();
            for (HostEntry entry : read.values()) {
                if (!next.contains(entry.host())) {
                    after.add(entry.host());
                }
                else if (!expected.contains(entry.host())) {
                    // Left from when the host was expected before: not its latest report any more.
                    first.add(entry.host());
                }
                else {
                    kept.add(entry);
                }
            }
            kept.sort(Comparator.comparing(HostEntry::host));
            tally = HostTally.of(kept.stream().map(HostEntry::status).toList());
            recount(kept);
            expected = next;
            newExpected = next;
            dropFirst = first;
            dropAfter = after;
            desiredChanged = true;
            settle();
            return null;
        }

        @Override
        public Rollout pause(Pause pause) {
            if (paused) {
                return null;
            }
            paused = true;
            noteOnLatest(RolloutAction.PAUSED, pause.actor(), pause.reason());
            return null;
        }

        @Override
        public Rollout resume(Resume resume) {
            if (!paused) {
                return null;
            }
            paused = false;
            noteOnLatest(RolloutAction.RESUMED, resume.actor(), resume.reason());
            settle();
            return null;
        }

        @Override
        public Rollout cancel(Cancel cancel) {
            if (pending == null) {
                throw new RolloutRejected(RolloutRejected.Kind.NOTHING_TO_CANCEL, "no rollout is being prepared"
                        + (cancel.rollout() == null ? "" : "; rollout #" + cancel.rollout() + " was not cancelled"));
            }
            if (cancel.rollout() != null && cancel.rollout() != pending.id()) {
                // The operator cancels what they saw; if another rollout replaced it meanwhile, they must look again.
                throw new RolloutRejected(RolloutRejected.Kind.NOTHING_TO_CANCEL, "rollout #" + cancel.rollout()
                        + " is no longer the one being prepared (rollout #" + pending.id() + " is); nothing was"
                        + " cancelled");
            }
            Rollout cancelled = touch(pending.moveTo(RolloutState.CANCELLED, now, cancel.actor(), cancel.reason()));
            pending = null;
            desiredChanged = true;
            return cancelled;
        }

        @Override
        public Rollout retry(Retry retry) {
            if (pending == null) {
                throw new RolloutRejected(RolloutRejected.Kind.NOTHING_TO_RETRY, "no rollout is being prepared;"
                        + " retry applies to the pending target");
            }
            if (retry.rollout() != null && retry.rollout() != pending.id()) {
                throw new RolloutRejected(RolloutRejected.Kind.NOTHING_TO_RETRY, "rollout #" + retry.rollout()
                        + " is no longer the one being prepared (rollout #" + pending.id() + " is); nothing was"
                        + " retried");
            }
            // A new generation in the desired state: every host sees it, a host that gave up prepares again.
            pending = touch(pending.note(RolloutAction.RETRIED, now, retry.actor(), retry.reason()));
            desiredChanged = true;
            return pending;
        }

        @Override
        public Rollout meetRequirement(MeetRequirement met) {
            if (pending == null || pending.id() != met.rollout()) {
                return null;
            }
            Requirement requirement = Requirement.unmet(met.repo(), met.commit());
            Rollout after = pending.withRequirementMet(requirement, now, requirement.text()
                    + " is served by every expected host of " + met.repo() + " (" + met.hosts() + " of "
                    + met.hosts() + ")");
            if (after == pending) {
                return pending;
            }
            pending = touch(after);
            Rollout concerned = pending;
            settle();
            return touched.get(concerned.id());
        }

        /** Activation and completion, decided on the tally alone. */
        private void settle() {
            activateIfReady();
            completeIfServed();
        }

        private void activateIfReady() {
            if (pending == null || paused || tally.prepared(pending.commit()) != expected.size()) {
                return;
            }
            List<Requirement> unmet = pending.unmetRequirements();
            if (!unmet.isEmpty()) {
                // Ready but for another repository (activate-after): said once in the history, then it waits.
                if (!pending.recorded(RolloutAction.WAITING)) {
                    pending = touch(pending.note(RolloutAction.WAITING, now, RolloutEvent.SYSTEM,
                            "every expected host has it prepared; activation waits for " + unmet.stream()
                                    .map(Requirement::text).collect(Collectors.joining(", ")) + " (activate-after)"));
                }
                return;
            }
            if (current != null && current.state() == RolloutState.ACTIVATING) {
                touch(current.moveTo(RolloutState.SUPERSEDED, now, RolloutEvent.SYSTEM,
                        "rollout " + pending.id() + " activated before every host had switched"));
            }
            // Every expected host has it prepared now, also those not seen reporting it since the target.
            Rollout ready = pending.withPrepared(expected.size());
            current = touch(ready.moveTo(RolloutState.ACTIVATING, now, RolloutEvent.SYSTEM, null));
            active = current.commit();
            pending = null;
            desiredChanged = true;
        }

        private void completeIfServed() {
            if (current != null && current.state() == RolloutState.ACTIVATING
                    && tally.serving(active) == expected.size()) {
                Rollout counted = current;
                if (current.hostsSwitched() < expected.size()) {
                    // The others served the commit before it was activated and have not reported since: they did
                    // not switch, so they count as switched at the activation, before anyone who did.
                    Instant activated = current.enteredAt(RolloutState.ACTIVATING).orElse(now);
                    counted = current.firstSwitchAt() == null
                            ? current.withSwitches(expected.size(), activated, null, activated, null)
                            : current.withSwitches(expected.size(), activated, null, current.lastSwitchAt(),
                                    current.lastSwitched());
                }
                current = touch(counted.moveTo(RolloutState.COMPLETE, now, RolloutEvent.SYSTEM, null));
            }
        }

        private HostEntry markPrepared(HostEntry entry) {
            if (pending != null && entry.status().hasPrepared(pending.commit())
                    && entry.preparedFor(pending.id()).isEmpty()) {
                pending = touch(pending.withOneMorePrepared());
                return entry.withPrepared(new HostEntry.Mark(pending.id(), now));
            }
            return entry;
        }

        private HostEntry markSwitched(HostEntry entry) {
            if (current != null && current.state() == RolloutState.ACTIVATING && entry.status().serves(active)
                    && entry.switchedFor(current.id()).isEmpty()) {
                // The host's clock, but never before the activation: a host that already served the commit (a
                // rollback to where it lagged) or whose clock runs behind did not switch earlier.
                Instant activated = current.enteredAt(RolloutState.ACTIVATING).orElse(now);
                Instant switchedAt = entry.status().switchedAt();
                Instant at = switchedAt == null ? now : switchedAt.isAfter(activated) ? switchedAt : activated;
                current = touch(current.withOneMoreSwitched(entry.host(), at));
                return entry.withSwitched(new HostEntry.Mark(current.id(), at));
            }
            return entry;
        }

        /** The live rollouts' counts from the marks of the hosts that stay expected. */
        private void recount(List<HostEntry> kept) {
            if (pending != null) {
                int prepared = (int) kept.stream().filter(e -> e.preparedFor(pending.id()).isPresent()).count();
                pending = touchIfChanged(pending, pending.withPrepared(prepared));
            }
            if (current != null && current.state() == RolloutState.ACTIVATING) {
                Rollout switches = current.withSwitches(0, null, null, null, null);
                for (HostEntry entry : kept) {
                    Optional<Instant> at = entry.switchedFor(current.id());
                    if (at.isPresent()) {
                        switches = switches.withOneMoreSwitched(entry.host(), at.get());
                    }
                }
                current = touchIfChanged(current, switches);
            }
        }

        private void noteOnLatest(RolloutAction action, String actor, String reason) {
            if (pending != null) {
                pending = touch(pending.note(action, now, actor, reason));
            }
            else if (current != null) {
                current = touch(current.note(action, now, actor, reason));
            }
        }

        private Rollout touchIfChanged(Rollout before, Rollout after) {
            return after.equals(before) ? before : touch(after);
        }

        private Rollout touch(Rollout rollout) {
            touched.put(rollout.id(), rollout);
            return rollout;
        }

        Transition finish(RepoState before, Rollout result) {
            RepoState after = before.with(active, current, pending, paused, tally);
            boolean summaryChanged = desiredChanged || !after.equals(before);
            Transition.HostChanges hosts = new Transition.HostChanges(new ArrayList<>(written.values()),
                    newExpected, dropFirst, dropAfter);
            if (!summaryChanged && hosts.isEmpty() && touched.isEmpty()) {
                return Transition.unchanged(before, result);
            }
            Rollout latestResult = result == null ? null : touched.getOrDefault(result.id(), result);
            return new Transition(after, true, summaryChanged, desiredChanged, new ArrayList<>(touched.values()),
                    latestResult, hosts);
        }
    }
}

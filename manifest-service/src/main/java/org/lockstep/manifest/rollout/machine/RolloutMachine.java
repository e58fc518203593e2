package org.lockstep.manifest.rollout.machine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.lockstep.manifest.rollout.machine.Command.Ancestry;
import org.lockstep.manifest.rollout.machine.Command.Cancel;
import org.lockstep.manifest.rollout.machine.Command.ChangeHosts;
import org.lockstep.manifest.rollout.machine.Command.Pause;
import org.lockstep.manifest.rollout.machine.Command.Report;
import org.lockstep.manifest.rollout.machine.Command.Resume;
import org.lockstep.manifest.rollout.machine.Command.Retry;
import org.lockstep.manifest.rollout.machine.Command.SetTarget;

/**
 * The rollout rules of docs/design.md, as a pure function from (state, command) to a {@link Transition}. No I/O, no
 * clock, no Spring: the caller passes the time and the id a new rollout would get, and persists the result.
 * <ul>
 * <li>A commit becomes active only when every expected host's latest report has it prepared, and not while paused.</li>
 * <li>A rollout is complete when every expected host's latest report serves it.</li>
 * <li>A newer target supersedes a pending one; a target that is not a descendant of the active commit needs an
 * explicit rollback.</li>
 * <li>Reports from hosts that are not expected, and stale reports (same agent session, sequence not above the last
 * one recorded; never judged by the host's clock), change nothing.</li>
 * </ul>
 */
public final class RolloutMachine {

    /**
     * Applies one command.
     *
     * @param newId the id a rollout created by this command gets (the store revision this write will produce)
     * @throws RolloutRejected when the command is not allowed in this state; nothing changed
     */
    public Transition apply(RepoState state, Command command, Instant now, long newId) {
        Draft draft = new Draft(state, now, newId);
        return draft.finish(state, command.handledBy(draft));
    }

    /**
     * The state being changed by one command, with the rollouts it touched. As the command's handler it returns the
     * rollout the command concerned, or {@code null}.
     */
    private static final class Draft implements Command.Handler<Rollout> {

        private final Instant now;

        private final long newId;

        private final String repo;

        private String active;

        private Rollout current;

        private Rollout pending;

        private boolean paused;

        private Set<String> expected;

        private final Map<String, HostStatus> hosts;

        private final Map<Long, Rollout> touched = new LinkedHashMap<>();

        private boolean changed;

        private boolean desiredChanged;

        Draft(RepoState state, Instant now, long newId) {
            this.now = now;
            this.newId = newId;
            this.repo = state.name();
            this.active = state.active();
            this.current = state.current();
            this.pending = state.pending();
            this.paused = state.paused();
            this.expected = new TreeSet<>(state.expectedHosts());
            this.hosts = new HashMap<>(state.hosts());
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
            Rollout created = Rollout.create(newId, repo, commit, active, target.rollback(), target.actor(),
                    target.reason(), now);
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
            if (!expected.contains(report.host())) {
                return null;
            }
            HostStatus previous = hosts.get(report.host());
            HostStatus status = report.status();
            if (status.isStaleNextTo(previous)) {
                return null;
            }
            if (status.sameContentAs(previous)) {
                return null;
            }
            hosts.put(report.host(), status);
            changed = true;
            settle();
            return null;
        }

        @Override
        public Rollout changeHosts(ChangeHosts change) {
            if (expected.equals(new TreeSet<>(change.hosts()))) {
                return null;
            }
            expected = new TreeSet<>(change.hosts());
            hosts.keySet().retainAll(expected);
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
            changed = true;
            noteOnLatest(RolloutAction.PAUSED, pause.actor(), pause.reason());
            return null;
        }

        @Override
        public Rollout resume(Resume resume) {
            if (!paused) {
                return null;
            }
            paused = false;
            changed = true;
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

        /** Brings rollouts up to date with the hosts' latest reports: readiness, activation, switches, completion. */
        private void settle() {
            if (pending != null) {
                for (String host : expected) {
                    HostStatus status = hosts.get(host);
                    if (status != null && status.hasPrepared(pending.commit())) {
                        pending = touchIfChanged(pending, pending.withPrepared(host, now));
                    }
                }
                if (!paused && expected.stream().allMatch(h -> prepared(h, pending.commit()))) {
                    activatePending();
                }
            }
            if (current != null && current.state() == RolloutState.ACTIVATING) {
                for (String host : expected) {
                    HostStatus status = hosts.get(host);
                    if (status != null && status.serves(active)) {
                        // The host's clock, but never before the activation: a host that already served the
                        // commit (a rollback to where it lagged) or whose clock runs behind did not switch earlier.
                        Instant activated = current.enteredAt(RolloutState.ACTIVATING).orElse(now);
                        Instant at = status.switchedAt() == null ? now
                                : status.switchedAt().isAfter(activated) ? status.switchedAt() : activated;
                        current = touchIfChanged(current, current.withSwitched(host, at));
                    }
                }
                if (expected.stream().allMatch(h -> hosts.containsKey(h) && hosts.get(h).serves(active))) {
                    current = touch(current.moveTo(RolloutState.COMPLETE, now, RolloutEvent.SYSTEM, null));
                }
            }
        }

        private void activatePending() {
            if (current != null && current.state() == RolloutState.ACTIVATING) {
                touch(current.moveTo(RolloutState.SUPERSEDED, now, RolloutEvent.SYSTEM,
                        "rollout " + pending.id() + " activated before every host had switched"));
            }
            current = touch(pending.moveTo(RolloutState.ACTIVATING, now, RolloutEvent.SYSTEM, null));
            active = current.commit();
            pending = null;
            desiredChanged = true;
        }

        private boolean prepared(String host, String commit) {
            HostStatus status = hosts.get(host);
            return status != null && status.hasPrepared(commit);
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
            return after == before ? before : touch(after);
        }

        private Rollout touch(Rollout rollout) {
            touched.put(rollout.id(), rollout);
            changed = true;
            return rollout;
        }

        Transition finish(RepoState before, Rollout result) {
            boolean anyChange = changed || desiredChanged;
            if (!anyChange) {
                return Transition.unchanged(before, result);
            }
            Rollout latestResult = result == null ? null : touched.getOrDefault(result.id(), result);
            RepoState after = before.with(active, current, pending, paused, expected, hosts);
            return new Transition(after, true, desiredChanged, new ArrayList<>(touched.values()), latestResult);
        }
    }
}

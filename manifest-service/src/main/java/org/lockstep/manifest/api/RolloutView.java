package org.lockstep.manifest.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.lockstep.manifest.rollout.RequirementProgress;
import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.RolloutEvent;
import org.lockstep.manifest.rollout.machine.RolloutState;

/**
 * A rollout as the API shows it: the stored record plus its progress against the expected hosts, and why it is
 * stuck when it is, so that the CLI and the page need no guessing. Its size does not grow with the fleet: counts,
 * and the names of the first hosts it waits for or that block it; who prepared or switched when is paged under
 * {@code GET /api/v1/repos/{repo}/hosts}.
 *
 * @param hostsPrepared     PREPARING: expected hosts whose latest report has the commit prepared; later: how many
 *                          had when it left PREPARING
 * @param hostsSwitched     ACTIVATING: expected hosts whose latest report serves the commit; later: how many were
 *                          seen switching to it
 * @param waitingFor        the first {@value StatusViews#WAITING_NAMES} (by name) of the expected hosts that have not
 *                          prepared (PREPARING) or switched (ACTIVATING) yet
 * @param waitingCount      how many hosts it waits for in all
 * @param prepareSeconds    creation to activation, once activated
 * @param switchSkewSeconds first to last host switching, once any switched
 * @param firstSwitched     the host that switched first (by the hosts' clocks), or null
 * @param lastSwitched      the host that switched last so far, or null
 * @param retries           how often an operator asked the hosts to prepare it again ({@code POST .../retry})
 * @param blockedBy         the first {@value StatusViews#WAITING_NAMES} (by name) of the waited-for hosts whose latest
 *                          report holds the rollout back with an error
 * @param blockedCount      how many waited-for hosts hold it back with an error in all
 * @param deadline          {@code createdAt + prepare-deadline} when the repository has one, else {@code null}
 * @param overdue           still PREPARING after its deadline (it still activates only with every host ready)
 * @param waitsFor          PREPARING: the commits of other repositories it still waits for before it may activate
 *                          ({@code activate-after}), in the configured order; empty when none (and once it is over)
 */
public record RolloutView(long id, String repo, String commit, String previous, boolean rollback,
                          RolloutState state, String createdBy, String reason, Instant createdAt,
                          List<RolloutEvent> events, int hostsExpected, int hostsPrepared, int hostsSwitched,
                          List<String> waitingFor, int waitingCount, Double prepareSeconds,
                          Double switchSkewSeconds, String firstSwitched, String lastSwitched, long retries,
                          List<Blocked> blockedBy, int blockedCount, Instant deadline, boolean overdue,
                          List<WaitsFor> waitsFor) {

    public RolloutView {
        waitsFor = waitsFor == null ? List.of() : List.copyOf(waitsFor);
    }

    /**
     * A commit of another repository a rollout waits for ({@code activate-after}): met, and no longer listed, once
     * {@code hostsServing == hostsExpected}.
     *
     * @param repo          the repository waited for
     * @param commit        the commit required of it (its target when the rollout was created, else its active one)
     * @param hostsServing  its expected hosts whose latest report serves that commit or a descendant
     * @param hostsExpected its expected hosts
     */
    public record WaitsFor(String repo, String commit, int hostsServing, int hostsExpected) {

        static WaitsFor of(RequirementProgress progress) {
            return new WaitsFor(progress.repo(), progress.commit(), progress.hostsServing(), progress.hostsExpected());
        }
    }

    /**
     * A host that holds a rollout back with an error.
     *
     * @param commit    the commit the error concerns ({@code null}: the repository as a whole on that host)
     * @param permanent the host will not retry on its own; an operator's retry (or a new target) is needed. An error
     *                  reported before the rollout's latest retry is not permanent: the host is trying again
     * @param since     when the host first had this error (host clock), or {@code null} when it does not say
     */
    public record Blocked(String host, String commit, String error, boolean permanent, Instant since) {

        static Blocked of(String host, HostStatus status, long generation) {
            return new Blocked(host, status.errorCommit(), status.error(), status.permanentAt(generation),
                    status.errorSince());
        }
    }

    /** The hosts a live rollout waits for, and those of them that hold it back with an error: names capped. */
    record Waiting(List<String> names, int count, List<Blocked> blocked, int blockedCount) {

        /**
         * Whom {@code r} waits for among the expected {@code hosts} (by name), by their latest reports
         * ({@code statusOf}: null for a host that never reported); at most {@code cap} names of each list.
         */
        static Waiting of(Rollout r, List<String> hosts, Function<String, HostStatus> statusOf, int cap) {
            List<String> waiting = new ArrayList<>();
            List<Blocked> blocked = new ArrayList<>();
            int count = 0;
            int blockedCount = 0;
            if (r.state() != RolloutState.PREPARING && r.state() != RolloutState.ACTIVATING) {
                return new Waiting(waiting, count, blocked, blockedCount);
            }
            for (String host : hosts) {
                HostStatus status = statusOf.apply(host);
                if (!r.waitsFor(status)) {
                    continue;
                }
                count++;
                if (waiting.size() < cap) {
                    waiting.add(host);
                }
                if (r.blockedBy(status)) {
                    blockedCount++;
                    if (blocked.size() < cap) {
                        blocked.add(Blocked.of(host, status, r.retries()));
                    }
                }
            }
            return new Waiting(waiting, count, blocked, blockedCount);
        }
    }

    /**
     * {@code r} in the light of its repository's summary at {@code now}: a live rollout's counts are the summary's,
     * which activation is decided on.
     */
    static RolloutView of(Rollout r, RepoState state, int expected, Waiting waiting, Duration prepareDeadline,
                          Instant now, List<RequirementProgress> waitsFor) {
        boolean pending = r.state() == RolloutState.PREPARING && state.pending() != null
                && state.pending().id() == r.id();
        boolean switching = r.state() == RolloutState.ACTIVATING && state.current() != null
                && state.current().id() == r.id();
        return new RolloutView(r.id(), r.repo(), r.commit(), r.previous(), r.rollback(), r.state(), r.createdBy(),
                r.reason(), r.createdAt(), r.events(), expected,
                pending ? state.tally().prepared(r.commit()) : r.hostsPrepared(),
                switching ? state.tally().serving(r.commit()) : r.hostsSwitched(), waiting.names(), waiting.count(),
                r.prepareDuration().map(d -> d.toMillis() / 1000.0).orElse(null),
                r.switchSkew().map(d -> d.toMillis() / 1000.0).orElse(null), r.firstSwitched(), r.lastSwitched(),
                r.retries(), waiting.blocked(), waiting.blockedCount(), r.deadline(prepareDeadline).orElse(null),
                r.overdue(prepareDeadline, now), waitsFor.stream().map(WaitsFor::of).toList());
    }

    /** When the rollout entered {@code state}, if it did (see {@link RolloutEvent#enteredAt}). */
    public Optional<Instant> enteredAt(RolloutState wanted) {
        return RolloutEvent.enteredAt(events, wanted);
    }
}

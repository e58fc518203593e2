package org.lockstep.manifest.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.RolloutEvent;
import org.lockstep.manifest.rollout.machine.RolloutState;

/**
 * A rollout as the API shows it: the stored record plus its progress against the expected hosts, and why it is
 * stuck when it is, so that the CLI and the page need no guessing.
 *
 * @param waitingFor        expected hosts that have not yet prepared (PREPARING) or switched (ACTIVATING)
 * @param prepareSeconds    creation to activation, once activated
 * @param switchSkewSeconds first to last host switching, once any switched
 * @param retries           how often an operator asked the hosts to prepare it again ({@code POST .../retry})
 * @param blockedBy         the waited-for hosts whose latest report holds the rollout back with an error
 * @param deadline          {@code createdAt + prepare-deadline} when the repository has one, else {@code null}
 * @param overdue           still PREPARING after its deadline (it still activates only with every host ready)
 */
public record RolloutView(long id, String repo, String commit, String previous, boolean rollback,
                          RolloutState state, String createdBy, String reason, Instant createdAt,
                          Map<String, Instant> prepared, Map<String, Instant> switched, List<RolloutEvent> events,
                          int hostsExpected, int hostsPrepared, int hostsSwitched, List<String> waitingFor,
                          Double prepareSeconds, Double switchSkewSeconds, long retries, List<Blocked> blockedBy,
                          Instant deadline, boolean overdue) {

    /**
     * A host that holds a rollout back with an error.
     *
     * @param commit    the commit the error concerns ({@code null}: the repository as a whole on that host)
     * @param permanent the host will not retry on its own; an operator's retry (or a new target) is needed. An error
     *                  reported before the rollout's latest retry is not permanent: the host is trying again
     * @param since     when the host first had this error (host clock), or {@code null} when it does not say
     */
    public record Blocked(String host, String commit, String error, boolean permanent, Instant since) {
    }

    /** {@code r} as it stands in its repository's {@code state} at {@code now}. */
    static RolloutView of(Rollout r, RepoState state, Duration prepareDeadline, Instant now) {
        List<Blocked> blocked = state.blockedBy(r).stream()
                .map(h -> blocked(h, state.hosts().get(h), r.retries())).toList();
        Instant deadline = r.deadline(prepareDeadline).orElse(null);
        return new RolloutView(r.id(), r.repo(), r.commit(), r.previous(), r.rollback(), r.state(), r.createdBy(),
                r.reason(), r.createdAt(), r.prepared(), r.switched(), r.events(), state.expectedHosts().size(),
                (int) state.expectedHosts().stream().filter(r.prepared()::containsKey).count(),
                (int) state.expectedHosts().stream().filter(r.switched()::containsKey).count(), state.waitingFor(r),
                r.prepareDuration().map(d -> d.toMillis() / 1000.0).orElse(null),
                r.switchSkew().map(d -> d.toMillis() / 1000.0).orElse(null), r.retries(), blocked, deadline,
                r.overdue(prepareDeadline, now));
    }

    private static Blocked blocked(String host, HostStatus status, long generation) {
        return new Blocked(host, status.errorCommit(), status.error(), status.permanentAt(generation),
                status.errorSince());
    }

    /** When the rollout entered {@code state}, if it did (see {@link RolloutEvent#enteredAt}). */
    public Optional<Instant> enteredAt(RolloutState wanted) {
        return RolloutEvent.enteredAt(events, wanted);
    }
}

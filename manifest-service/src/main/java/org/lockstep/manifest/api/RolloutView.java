package org.lockstep.manifest.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.RolloutEvent;
import org.lockstep.manifest.rollout.machine.RolloutState;

/**
 * A rollout as the API shows it: the stored record plus its progress against the expected hosts.
 *
 * @param waitingFor        expected hosts that have not yet prepared (PREPARING) or switched (ACTIVATING)
 * @param prepareSeconds    creation to activation, once activated
 * @param switchSkewSeconds first to last host switching, once any switched
 */
public record RolloutView(long id, String repo, String commit, String previous, boolean rollback,
                          RolloutState state, String createdBy, String reason, Instant createdAt,
                          Map<String, Instant> prepared, Map<String, Instant> switched, List<RolloutEvent> events,
                          int hostsExpected, int hostsPrepared, int hostsSwitched, List<String> waitingFor,
                          Double prepareSeconds, Double switchSkewSeconds) {

    static RolloutView of(Rollout r, Set<String> expectedHosts) {
        List<String> waiting = expectedHosts.stream()
                .filter(h -> r.state() == RolloutState.PREPARING ? !r.prepared().containsKey(h)
                        : r.state() == RolloutState.ACTIVATING && !r.switched().containsKey(h))
                .sorted().toList();
        return new RolloutView(r.id(), r.repo(), r.commit(), r.previous(), r.rollback(), r.state(), r.createdBy(),
                r.reason(), r.createdAt(), r.prepared(), r.switched(), r.events(), expectedHosts.size(),
                (int) expectedHosts.stream().filter(r.prepared()::containsKey).count(),
                (int) expectedHosts.stream().filter(r.switched()::containsKey).count(), waiting,
                r.prepareDuration().map(d -> d.toMillis() / 1000.0).orElse(null),
                r.switchSkew().map(d -> d.toMillis() / 1000.0).orElse(null));
    }

    /** When the rollout entered {@code state}, if it did (see {@link RolloutEvent#enteredAt}). */
    public Optional<Instant> enteredAt(RolloutState wanted) {
        return RolloutEvent.enteredAt(events, wanted);
    }
}

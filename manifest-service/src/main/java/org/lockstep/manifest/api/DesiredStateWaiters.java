package org.lockstep.manifest.api;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.change.Change;
import org.lockstep.manifest.rollout.RolloutService;
import org.lockstep.protocol.DesiredState;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Agents' long-polls. A poll is a {@link DeferredResult}, so no thread waits with it. Waiting polls are answered
 * when the service's change channel announces a new revision, i.e. right after the change is durable, whichever
 * manifest instance made it; a change that leaves the desired state alone (a heartbeat) answers none.
 */
@Component
class DesiredStateWaiters {

    private final RolloutService rollouts;

    private final ManifestProperties properties;

    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();

    DesiredStateWaiters(RolloutService rollouts, ManifestProperties properties) {
        this.rollouts = rollouts;
        this.properties = properties;
        rollouts.changes().subscribe(this::changed);
    }

    /**
     * Answers at once when the revision differs from {@code since} (newer, or a rebuilt store behind it), else on
     * the next change or after {@code wait} (at most {@code poll-timeout}; {@code null}: {@code poll-timeout}).
     */
    DeferredResult<DesiredState> await(String host, long since, Duration wait) {
        Duration hold = wait == null || wait.compareTo(properties.pollTimeout()) > 0 ? properties.pollTimeout() : wait;
        DeferredResult<DesiredState> result = new DeferredResult<>(Math.max(1, hold.toMillis()));
        if (rollouts.revision() != since || hold.isZero()) {
            result.setResult(rollouts.desired(host));
            return result;
        }
        Waiter waiter = new Waiter(host, since, result);
        waiters.add(waiter);
        result.onTimeout(() -> answer(waiter));
        result.onError(ex -> waiters.remove(waiter));
        result.onCompletion(() -> waiters.remove(waiter));
        if (rollouts.revision() != since) {
            answer(waiter); // the revision moved between the first check and registration
        }
        return result;
    }

    int waiting() {
        return waiters.size();
    }

    private void changed(Change change) {
        if (!change.newRevision()) {
            return;
        }
        for (Waiter waiter : waiters) {
            if (waiter.since() != change.revision()) {
                answer(waiter);
            }
        }
    }

    private void answer(Waiter waiter) {
        if (waiters.remove(waiter)) {
            waiter.result().setResult(rollouts.desired(waiter.host()));
        }
    }

    private record Waiter(String host, long since, DeferredResult<DesiredState> result) {

        // Identity, not value: two polls of one host with the same revision are two waiters.
        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}

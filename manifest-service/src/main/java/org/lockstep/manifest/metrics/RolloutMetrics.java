package org.lockstep.manifest.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.change.Change;
import org.lockstep.manifest.rollout.RolloutService;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.RolloutEvent;
import org.lockstep.manifest.rollout.machine.RolloutState;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Rollout metrics for {@code /actuator/prometheus}. Gauges read the store when scraped, so they are right after a
 * restart; the timer and counter see the transitions this instance made (the service's change channel announces
 * them; revisions heard from other instances carry no transitions and are not counted here).
 * <ul>
 * <li>{@code lockstep_repo_rollout_state{repo,state}}: 1 for the state of the repository's latest rollout</li>
 * <li>{@code lockstep_rollout_transitions_total{state}}: rollouts that entered each state</li>
 * <li>{@code lockstep_rollout_prepare_seconds{repo}} (histogram): creation to activation</li>
 * <li>{@code lockstep_rollout_switch_skew_seconds{repo}} (histogram): per completed rollout, first to last host
 * switching, by the hosts' clocks</li>
 * <li>{@code lockstep_rollout_hosts_ready{repo}} and {@code _expected}: progress of the latest rollout</li>
 * <li>{@code lockstep_repo_last_activation_timestamp_seconds{repo}}</li>
 * </ul>
 */
@Component
class RolloutMetrics implements SmartInitializingSingleton {

    private final MeterRegistry registry;

    private final RolloutService rollouts;

    private final ManifestProperties properties;

    private final Map<String, Timer> prepare = new ConcurrentHashMap<>();

    private final Map<String, Timer> skew = new ConcurrentHashMap<>();

    /** Rollout id -> events already counted, for rollouts that can still change. */
    private final Map<Long, Integer> eventsSeen = new ConcurrentHashMap<>();

    RolloutMetrics(MeterRegistry registry, RolloutService rollouts, ManifestProperties properties) {
        this.registry = registry;
        this.rollouts = rollouts;
        this.properties = properties;
        // Before subscribing: a change may be announced while the context still starts.
        for (String repo : properties.repos().keySet()) {
            prepare.put(repo, Timer.builder("lockstep.rollout.prepare").tag("repo", repo)
                    .description("Time from setting a target to its activation")
                    .serviceLevelObjectives(seconds(1, 5, 15, 60, 120, 300, 600, 1800, 3600)).register(registry));
            skew.put(repo, Timer.builder("lockstep.rollout.switch.skew").tag("repo", repo)
                    .description("Per completed rollout: first to last host switching, by the hosts' clocks")
                    .serviceLevelObjectives(millis(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000,
                            60_000)).register(registry));
        }
        rollouts.changes().subscribe(this::onChange);
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (RolloutState state : RolloutState.values()) {
            transitions(state); // every state from 0, so a rate over the counter starts at the first transition
        }
        for (String repo : properties.repos().keySet()) {
            for (RolloutState state : RolloutState.values()) {
                Gauge.builder("lockstep.repo.rollout.state", () -> latest(repo).filter(r -> r.state() == state)
                        .isPresent() ? 1 : 0).tags("repo", repo, "state", state.name())
                        .description("1 for the state of the repository's latest rollout").register(registry);
            }
            Gauge.builder("lockstep.rollout.hosts.ready", () -> hostsReady(repo))
                    .tag("repo", repo).description("Hosts that have prepared the latest rollout's commit")
                    .register(registry);
            Gauge.builder("lockstep.rollout.hosts.expected", () -> rollouts.expectedHosts(repo).size())
                    .tag("repo", repo).description("Hosts that must serve the repository").register(registry);
            Gauge.builder("lockstep.repo.last.activation.timestamp", () -> lastActivation(repo))
                    .tag("repo", repo).baseUnit("seconds")
                    .description("When the active commit was activated (epoch seconds)").register(registry);
        }
    }

    void onChange(Change change) {
        if (!(change instanceof Change.Written written)) {
            return;
        }
        for (Rollout rollout : written.rollouts()) {
            int seen = eventsSeen.getOrDefault(rollout.id(), 0);
            for (RolloutEvent event : rollout.events().subList(Math.min(seen, rollout.events().size()),
                    rollout.events().size())) {
                event.action().enters().ifPresent(state -> transitions(state).increment());
                if (event.enters(RolloutState.ACTIVATING)) {
                    rollout.prepareDuration().ifPresent(prepare.get(rollout.repo())::record);
                }
                if (event.enters(RolloutState.COMPLETE)) {
                    rollout.switchSkew().ifPresent(skew.get(rollout.repo())::record);
                }
            }
            if (rollout.state().isTerminal()) {
                eventsSeen.remove(rollout.id());
            }
            else {
                eventsSeen.put(rollout.id(), rollout.events().size());
            }
        }
    }

    private Counter transitions(RolloutState state) {
        return Counter.builder("lockstep.rollout.transitions").tag("state", state.name())
                .description("Rollouts that entered each state").register(registry);
    }

    private static Duration[] seconds(long... values) {
        return Arrays.stream(values).mapToObj(Duration::ofSeconds).toArray(Duration[]::new);
    }

    private static Duration[] millis(long... values) {
        return Arrays.stream(values).mapToObj(Duration::ofMillis).toArray(Duration[]::new);
    }

    private RepoState state(String repo) {
        return rollouts.state(repo);
    }

    private Optional<Rollout> latest(String repo) {
        return state(repo).latestRollout();
    }

    /** Of the latest rollout: hosts whose latest report has its commit prepared while pending, else as recorded. */
    private int hostsReady(String repo) {
        RepoState state = state(repo);
        return state.latestRollout().map(r -> r == state.pending() ? state.tally().prepared(r.commit())
                : r.hostsPrepared()).orElse(0);
    }

    private double lastActivation(String repo) {
        return Optional.ofNullable(state(repo).current()).flatMap(r -> r.enteredAt(RolloutState.ACTIVATING))
                .map(at -> at.toEpochMilli() / 1000.0).orElse(Double.NaN);
    }
}

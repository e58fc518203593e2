package org.lockstep.manifest.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.page.PageProperties;
import org.lockstep.manifest.rollout.HostSightings;
import org.lockstep.manifest.rollout.HostState;
import org.lockstep.manifest.rollout.RolloutService;
import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.RolloutState;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The fleet as Prometheus sees it, computed from the store when scraped (so it is right after a restart and on
 * every instance of an etcd fleet alike). Per host only what needs a look, so that 2,000 healthy hosts cost no series:
 * <ul>
 * <li>{@code lockstep_hosts{repo,state}}: expected hosts per {@link HostState}, each counted once</li>
 * <li>{@code lockstep_host_state{repo,host,state}}: 1 for each host that is lagging, failing or unseen</li>
 * <li>{@code lockstep_host_behind_seconds{repo,host}}: lagging hosts only, seconds since the active commit was
 * activated</li>
 * <li>{@code lockstep_repo_active_info{repo,commit}}: 1 for the active commit (an info metric)</li>
 * <li>{@code lockstep_rollout_pending_seconds{repo}}: how long the pending rollout has been preparing (0: none)</li>
 * <li>{@code lockstep_rollout_last_prepare_seconds{repo}} and {@code lockstep_rollout_last_switch_skew_seconds{repo}}:
 * of the rollout that made the active commit active (its skew so far while it switches)</li>
 * <li>{@code lockstep_rollout_overdue{repo}}: 1 while the pending rollout is past the repository's
 * {@code prepare-deadline}, else 0 (the rollout view's {@code overdue})</li>
 * <li>{@code lockstep_rollout_blocked_hosts{repo,permanent}}: the hosts in the latest rollout's {@code blockedBy},
 * by whether their error is permanent ({@code "true"}: the host waits for an operator's retry); both values always</li>
 * </ul>
 * Written against the Prometheus client's registry rather than Micrometer's, because its series exist only while a
 * host needs a look and must be computed at scrape time.
 */
@Component
class FleetMetrics implements MultiCollector {

    private final RolloutService rollouts;

    private final ManifestProperties properties;

    private final HostSightings sightings;

    private final PageProperties page;

    private final Clock clock;

    FleetMetrics(RolloutService rollouts, ManifestProperties properties, HostSightings sightings, PageProperties page,
                 Clock clock, ObjectProvider<PrometheusRegistry> registry) {
        this.rollouts = rollouts;
        this.properties = properties;
        this.sightings = sightings;
        this.page = page;
        this.clock = clock;
        registry.ifAvailable(r -> r.register(this));
    }

    @Override
    public MetricSnapshots collect() {
        Instant now = clock.instant();
        Gauges hosts = new Gauges("lockstep_hosts", "Expected hosts per state, each counted once");
        Gauges hostState = new Gauges("lockstep_host_state",
                "1 for each expected host that is lagging, failing or unseen; no series for the others");
        Gauges behind = new Gauges("lockstep_host_behind_seconds",
                "Lagging hosts only: seconds since the active commit was activated");
        InfoSnapshot.Builder active = InfoSnapshot.builder().name("lockstep_repo_active")
                .help("The active commit of each repository");
        Gauges pending = new Gauges("lockstep_rollout_pending_seconds",
                "How long the pending rollout has been preparing; 0 when nothing is pending");
        Gauges prepare = new Gauges("lockstep_rollout_last_prepare_seconds",
                "Target set to activation, of the rollout that made the active commit active");
        Gauges skew = new Gauges("lockstep_rollout_last_switch_skew_seconds",
                "First to last host switching (host clocks), of the rollout that made the active commit active");
        Gauges overdue = new Gauges("lockstep_rollout_overdue",
                "1 while the pending rollout is past the repository's prepare-deadline, else 0");
        Gauges blocked = new Gauges("lockstep_rollout_blocked_hosts",
                "Hosts whose error holds the latest rollout back (its blockedBy), by whether the error is permanent");
        for (String repo : properties.repos().keySet()) {
            RepoState state = rollouts.state(repo);
            Optional<Instant> activated = Optional.ofNullable(state.current())
                    .flatMap(r -> r.enteredAt(RolloutState.ACTIVATING));
            Map<HostState, Integer> counts = new EnumMap<>(HostState.class);
            for (HostState s : HostState.values()) {
                counts.put(s, 0);
            }
            Map<String, HostStatus> statuses = new HashMap<>();
            rollouts.hosts(repo).forEach(entry -> statuses.put(entry.host(), entry.status()));
            Set<String> expected = rollouts.expectedHosts(repo);
            stuck(repo, state, expected, statuses, now, overdue, blocked);
            for (String host : expected) {
                EnumSet<HostState> states = HostState.of(state, statuses.get(host), sightings.lastSeen(host), now,
                        page.silentAfter());
                counts.merge(HostState.first(states), 1, Integer::sum);
                for (HostState s : states) {
                    if (HostState.NEED_A_LOOK.contains(s)) {
                        hostState.add(1, "repo", repo, "host", host, "state", s.label());
                    }
                }
                if (states.contains(HostState.LAGGING) && activated.isPresent()) {
                    behind.add(seconds(Duration.between(activated.get(), now)), "repo", repo, "host", host);
                }
            }
            counts.forEach((s, n) -> hosts.add(n, "repo", repo, "state", s.label()));
            if (state.active() != null) {
                active.dataPoint(InfoDataPointSnapshot.builder().labels(Labels.of("repo", repo, "commit",
                        state.active())).build());
            }
            pending.add(state.pending() == null ? 0 : seconds(Duration.between(state.pending().createdAt(), now)),
                    "repo", repo);
            Optional<Rollout> current = Optional.ofNullable(state.current());
            current.flatMap(Rollout::prepareDuration).ifPresent(d -> prepare.add(seconds(d), "repo", repo));
            current.flatMap(Rollout::switchSkew).ifPresent(d -> skew.add(seconds(d), "repo", repo));
        }
        return MetricSnapshots.of(hosts.build(), hostState.build(), behind.build(), active.build(), pending.build(),
                prepare.build(), skew.build(), overdue.build(), blocked.build());
    }

    /** Why the repository's latest rollout is stuck, by the same rules as its view in the API and on the page. */
    private void stuck(String repo, RepoState state, Set<String> expected, Map<String, HostStatus> statuses,
                       Instant now, Gauges overdue, Gauges blocked) {
        Duration deadline = properties.repos().get(repo).prepareDeadline();
        Optional<Rollout> latest = state.latestRollout();
        overdue.add(latest.filter(r -> r.overdue(deadline, now)).isPresent() ? 1 : 0, "repo", repo);
        long permanent = 0;
        long other = 0;
        if (latest.isPresent()) {
            Rollout rollout = latest.get();
            for (String host : expected) {
                HostStatus status = statuses.get(host);
                if (!rollout.blockedBy(status)) {
                    continue;
                }
                if (status.permanentAt(rollout.retries())) {
                    permanent++;
                }
                else {
                    other++;
                }
            }
        }
        blocked.add(permanent, "repo", repo, "permanent", "true");
        blocked.add(other, "repo", repo, "permanent", "false");
    }

    private static double seconds(Duration d) {
        return Math.max(0, d.toMillis()) / 1000.0;
    }

    /** One gauge's data points. */
    private static final class Gauges {

        private final GaugeSnapshot.Builder builder;

        Gauges(String name, String help) {
            this.builder = GaugeSnapshot.builder().name(name).help(help);
        }

        void add(double value, String... labels) {
            builder.dataPoint(GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build());
        }

        GaugeSnapshot build() {
            return builder.build();
        }
    }
}

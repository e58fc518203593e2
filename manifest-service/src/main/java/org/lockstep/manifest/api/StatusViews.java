package org.lockstep.manifest.api;

import java.time.Clock;
import java.util.List;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.rollout.RolloutService;
import org.lockstep.manifest.rollout.HostSightings;
import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.springframework.stereotype.Component;

/** Builds the read models of the API (and of the operator page) from the stored state. */
@Component
public class StatusViews {

    static final int RECENT = 5;

    private final RolloutService rollouts;

    private final ManifestProperties properties;

    private final HostSightings sightings;

    private final Clock clock;

    public StatusViews(RolloutService rollouts, ManifestProperties properties, HostSightings sightings, Clock clock) {
        this.rollouts = rollouts;
        this.properties = properties;
        this.sightings = sightings;
        this.clock = clock;
    }

    public List<RepoStatus> all() {
        return properties.repos().keySet().stream().map(this::repo).toList();
    }

    public RepoStatus repo(String name) {
        RepoState state = rollouts.state(name);
        ManifestProperties.Repo config = properties.repos().get(name);
        List<RepoStatus.HostView> hosts = state.expectedHosts().stream().map(host -> host(state, host)).toList();
        List<RolloutView> recent = rollouts.rollouts(name, 0, RECENT).stream().map(r -> view(r, state)).toList();
        return new RepoStatus(name, config.url(), config.branch(), state.active(), state.target().orElse(null),
                state.paused(), state.revision(), state.expectedHosts(),
                state.latestRollout().map(r -> view(r, state)).orElse(null), hosts, recent);
    }

    /** One rollout as the API shows it, in the light of its repository's state now. */
    public RolloutView rollout(Rollout rollout) {
        return view(rollout, rollouts.state(rollout.repo()));
    }

    public PageOf<RolloutView> rollouts(String name, int page, int size) {
        RepoState state = rollouts.state(name);
        long total = rollouts.rolloutCount(name);
        long offset = (long) page * size; // in int, page 2147483647 of 100 wrapped round to the first page
        List<RolloutView> items = offset >= total ? List.of() : rollouts.rollouts(name, (int) offset, size).stream()
                .map(r -> view(r, state)).toList();
        return new PageOf<>(items, page, size, total);
    }

    private RolloutView view(Rollout rollout, RepoState state) {
        return RolloutView.of(rollout, state, properties.repos().get(rollout.repo()).prepareDeadline(),
                clock.instant());
    }

    private RepoStatus.HostView host(RepoState state, String host) {
        HostStatus status = state.hosts().get(host);
        if (status == null) {
            return new RepoStatus.HostView(host, null, null, null, null, null, false, null, null, null,
                    sightings.lastSeen(host).orElse(null), state.active() != null);
        }
        return new RepoStatus.HostView(host, status.current(), status.next(), status.preparing(), status.error(),
                status.errorCommit(), status.permanent(), status.errorSince(), status.switchedAt(), status.sentAt(),
                sightings.lastSeen(host).orElse(null), state.active() != null && !status.serves(state.active()));
    }
}

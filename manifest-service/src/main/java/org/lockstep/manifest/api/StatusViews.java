package org.lockstep.manifest.api;

import java.util.List;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.rollout.RolloutService;
import org.lockstep.manifest.rollout.HostSightings;
import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.springframework.stereotype.Component;

/** Builds the read models of the API (and of the operator page) from the stored state. */
@Component
public class StatusViews {

    static final int RECENT = 5;

    private final RolloutService rollouts;

    private final ManifestProperties properties;

    private final HostSightings sightings;

    public StatusViews(RolloutService rollouts, ManifestProperties properties, HostSightings sightings) {
        this.rollouts = rollouts;
        this.properties = properties;
        this.sightings = sightings;
    }

    public List<RepoStatus> all() {
        return properties.repos().keySet().stream().map(this::repo).toList();
    }

    public RepoStatus repo(String name) {
        RepoState state = rollouts.state(name);
        ManifestProperties.Repo config = properties.repos().get(name);
        List<RepoStatus.HostView> hosts = state.expectedHosts().stream().map(host -> host(state, host)).toList();
        List<RolloutView> recent = rollouts.rollouts(name, 0, RECENT).stream()
                .map(r -> RolloutView.of(r, state.expectedHosts())).toList();
        return new RepoStatus(name, config.url(), config.branch(), state.active(), state.target().orElse(null),
                state.paused(), state.revision(), state.expectedHosts(),
                state.latestRollout().map(r -> RolloutView.of(r, state.expectedHosts())).orElse(null), hosts, recent);
    }

    public PageOf<RolloutView> rollouts(String name, int page, int size) {
        RepoState state = rollouts.state(name);
        long total = rollouts.rolloutCount(name);
        long offset = (long) page * size; // in int, page 2147483647 of 100 wrapped round to the first page
        List<RolloutView> items = offset >= total ? List.of() : rollouts.rollouts(name, (int) offset, size).stream()
                .map(r -> RolloutView.of(r, state.expectedHosts())).toList();
        return new PageOf<>(items, page, size, total);
    }

    private RepoStatus.HostView host(RepoState state, String host) {
        HostStatus status = state.hosts().get(host);
        if (status == null) {
            return new RepoStatus.HostView(host, null, null, null, null, null, null, null,
                    sightings.lastSeen(host).orElse(null), state.active() != null);
        }
        return new RepoStatus.HostView(host, status.current(), status.next(), status.preparing(), status.error(),
                status.errorCommit(), status.switchedAt(), status.sentAt(), sightings.lastSeen(host).orElse(null),
                state.active() != null && !status.serves(state.active()));
    }
}

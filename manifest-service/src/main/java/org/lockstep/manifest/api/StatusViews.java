package org.lockstep.manifest.api;

import java.util.List;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.deployment.Deployments;
import org.lockstep.manifest.deployment.HostSightings;
import org.lockstep.manifest.rollout.HostStatus;
import org.lockstep.manifest.rollout.RepoState;
import org.springframework.stereotype.Component;

/** Builds the read models of the API (and of the operator page) from the stored state. */
@Component
public class StatusViews {

    static final int RECENT = 5;

    private final Deployments deployments;

    private final ManifestProperties properties;

    private final HostSightings sightings;

    public StatusViews(Deployments deployments, ManifestProperties properties, HostSightings sightings) {
        this.deployments = deployments;
        this.properties = properties;
        this.sightings = sightings;
    }

    public List<RepoStatus> all() {
        return properties.repos().keySet().stream().map(this::repo).toList();
    }

    public RepoStatus repo(String name) {
        RepoState state = deployments.state(name);
        ManifestProperties.Repo config = properties.repos().get(name);
        List<RepoStatus.HostView> hosts = state.expectedHosts().stream().map(host -> host(state, host)).toList();
        List<RolloutView> recent = deployments.rollouts(name, 0, RECENT).stream()
                .map(r -> RolloutView.of(r, state.expectedHosts())).toList();
        return new RepoStatus(name, config.url(), config.branch(), state.active(), state.target().orElse(null),
                state.paused(), state.revision(), state.expectedHosts(),
                state.latestRollout().map(r -> RolloutView.of(r, state.expectedHosts())).orElse(null), hosts, recent);
    }

    public PageOf<RolloutView> rollouts(String name, int page, int size) {
        RepoState state = deployments.state(name);
        List<RolloutView> items = deployments.rollouts(name, page * size, size).stream()
                .map(r -> RolloutView.of(r, state.expectedHosts())).toList();
        return new PageOf<>(items, page, size, deployments.rolloutCount(name));
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

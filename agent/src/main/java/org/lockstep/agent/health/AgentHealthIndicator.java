package org.lockstep.agent.health;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

import org.lockstep.agent.config.AgentProperties;
import org.lockstep.agent.release.Links;
import org.lockstep.agent.release.RepoLayout;
import org.lockstep.agent.sync.AgentState;
import org.lockstep.agent.sync.AgentStateFile;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP when every repository's {@code current} is the last known active commit, DOWN otherwise, so a load balancer
 * depools a host that lags (a new host still preparing, a failed switch). "Last known" is persisted, so a host
 * that restarts while no manifest answers is healthy as long as it serves what was last made active.
 */
public final class AgentHealthIndicator implements HealthIndicator {

    private final AgentProperties properties;

    private final AgentStateFile state;

    public AgentHealthIndicator(AgentProperties properties, AgentStateFile state) {
        this.properties = properties;
        this.state = state;
    }

    @Override
    public Health health() {
        AgentState known = state.state();
        if (!known.known()) {
            return Health.down().withDetail("reason", "no desired state received from a manifest yet").build();
        }
        boolean up = true;
        Map<String, Object> repos = new LinkedHashMap<>();
        for (String repo : properties.repos().keySet()) {
            String active = known.active().get(repo);
            if (active == null) {
                repos.put(repo, Map.of("status", "not expected on this host"));
                continue;
            }
            RepoLayout layout = RepoLayout.of(properties.baseDir(), repo);
            String current = Links.commit(layout.current())
                    .filter(commit -> Files.isDirectory(layout.release(commit))).orElse("");
            // A real directory at current (fenced, not adopted) is not a release the manifest made active.
            boolean inLine = current.equals(active) && !(Links.state(layout.current()) instanceof Links.NotALink);
            up &= inLine;
            repos.put(repo, Map.of("status", inLine ? "UP" : "DOWN", "current", current, "active", active));
        }
        return (up ? Health.up() : Health.down()).withDetail("revision", known.revision())
                .withDetail("repos", repos).build();
    }
}

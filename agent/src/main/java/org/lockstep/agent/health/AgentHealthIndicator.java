package org.lockstep.agent.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.lockstep.agent.config.AgentProperties;
import org.lockstep.agent.release.RepoLayout;
import org.lockstep.agent.sync.AgentState;
import org.lockstep.agent.sync.AgentStateFile;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP when every repository's {@code current} is the last known active commit, DOWN otherwise: does this host serve
 * the active commits right now? "Last known" is persisted, so a host that restarts while no manifest answers is
 * healthy as long as it serves what was last made active. The load balancer asks a gentler question (with a grace
 * for the switch window, and never depooling for causes outside the host): {@link PoolCheck}.
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
            Served served = Served.of(RepoLayout.of(properties.baseDir(), repo));
            String current = Objects.requireNonNullElse(served.commit(), "");
            // A real directory at current (fenced, not adopted) is not a release the manifest made active.
            boolean inLine = current.equals(active) && !served.realDirectory();
            up &= inLine;
            repos.put(repo, Map.of("status", inLine ? "UP" : "DOWN", "current", current, "active", active));
        }
        return (up ? Health.up() : Health.down()).withDetail("revision", known.revision())
                .withDetail("repos", repos).build();
    }
}

package org.lockstep.agent.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.lockstep.agent.config.AgentProperties;
import org.lockstep.agent.health.PoolVerdict.RepoLag;
import org.lockstep.agent.release.RepoLayout;
import org.lockstep.agent.sync.AgentState;
import org.lockstep.agent.sync.AgentStateFile;

/**
 * Decides whether the load balancer may send this host traffic. In the pool while every repository serves its last
 * known active commit; out once one has lagged longer than {@code lag-grace} (the switch window, for a lag that
 * began while this process watched), and at once for a lag found as the agent starts: it began before this process,
 * nobody knows when (a host rebuilt with an empty disk, a crash between learning of an activation and switching).
 * <p>
 * Causes outside the host never take it out, because the whole fleet would go with it: the verdict compares the
 * disk with the last desired state the agent persisted, so a manifest that cannot be reached changes nothing, and
 * a repository the manifest has no active commit for (or does not expect here) does not count. Before the first
 * desired state the host is in the pool when every repository has something to serve.
 */
public final class PoolCheck {

    private final AgentProperties properties;

    private final AgentStateFile state;

    private final Clock clock;

    /** Repositories this process has seen serve their active commit: a lag after that gets the grace. */
    private final Set<String> seenInLine = new HashSet<>();

    private final Map<String, Instant> lagSince = new HashMap<>();

    public PoolCheck(AgentProperties properties, AgentStateFile state, Clock clock) {
        this.properties = properties;
        this.state = state;
        this.clock = clock;
    }

    public synchronized PoolVerdict evaluate() {
        Instant now = clock.instant();
        AgentState known = state.state();
        List<String> out = new ArrayList<>();
        Map<String, RepoLag> repos = new TreeMap<>();
        for (String repo : properties.repos().keySet()) {
            Served served = Served.of(RepoLayout.of(properties.baseDir(), repo));
            String active = known.active().get(repo);
            if (!known.known()) {
                if (!served.anything()) {
                    out.add(repo + " has nothing to serve and no manifest has named its active commit yet");
                }
                continue;
            }
            if (active == null || active.isEmpty() || served.serves(active)) {
                // Fine as it is: a lag that starts later (the next activation) gets the grace.
                seenInLine.add(repo);
                lagSince.remove(repo);
                if (active != null && !active.isEmpty()) {
                    repos.put(repo, new RepoLag(false, Duration.ZERO));
                }
                continue;
            }
            Instant since = lagSince.computeIfAbsent(repo, r -> now);
            Duration behind = Duration.between(since, now);
            repos.put(repo, new RepoLag(true, behind));
            if (!seenInLine.contains(repo)) {
                out.add(served.anything() ? repo + " does not serve its active commit " + active
                        + " (it did not when the agent started)" : repo + " serves nothing; its active commit is "
                        + active);
            }
            else if (behind.compareTo(properties.lagGrace()) > 0) {
                out.add(repo + " has not served its active commit " + active + " since "
                        + since.truncatedTo(ChronoUnit.SECONDS) + ", longer than lag-grace "
                        + words(properties.lagGrace()));
            }
        }
        if (!out.isEmpty()) {
            return new PoolVerdict(false, "out of the pool: " + String.join("; ", out), repos, now);
        }
        String why = !known.known() ? "no manifest has answered yet; every repository has something to serve"
                : repos.values().stream().anyMatch(RepoLag::lagging)
                ? "in the switch window (lag-grace " + words(properties.lagGrace()) + ")"
                : "every repository serves its active commit";
        return new PoolVerdict(true, "in the pool: " + why, repos, now);
    }

    private static String words(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}

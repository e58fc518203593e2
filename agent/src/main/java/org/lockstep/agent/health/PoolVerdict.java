package org.lockstep.agent.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Whether the load balancer may send this host traffic, and why.
 *
 * @param inPool whether it may
 * @param reason one line for people (the log, the status file); it changes only when the verdict's cause does
 * @param repos  every repository the manifest expects here with an active commit: whether it lags, for how long
 * @param at     when it was decided
 */
public record PoolVerdict(boolean inPool, String reason, Map<String, RepoLag> repos, Instant at) {

    public PoolVerdict {
        repos = Map.copyOf(repos);
    }

    /**
     * @param lagging whether {@code current} is not the last known active commit
     * @param behind  how long this agent has seen it lag; zero while it is in line
     */
    public record RepoLag(boolean lagging, Duration behind) {
    }
}

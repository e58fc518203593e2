package org.lockstep.manifest.hooks;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.rollout.RolloutService;
import org.lockstep.manifest.git.GitMirrors;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * The fallback when no webhook can be set up: for each repository with a {@code watch-interval}, fetch the branch
 * that often and make its tip the target when it is neither active nor already targeted. A failed fetch is logged
 * and tried again at the next interval; it never changes anything.
 */
@Component
class BranchWatcher implements SmartInitializingSingleton, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(BranchWatcher.class);

    static final String ACTOR = "branch-watcher";

    private static final int HISTORY = 100;

    private final ManifestProperties properties;

    private final RolloutService rollouts;

    private final GitMirrors mirrors;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "branch-watcher");
        thread.setDaemon(true);
        return thread;
    });

    BranchWatcher(ManifestProperties properties, RolloutService rollouts, GitMirrors mirrors) {
        this.properties = properties;
        this.rollouts = rollouts;
        this.mirrors = mirrors;
    }

    @Override
    public void afterSingletonsInstantiated() {
        properties.repos().forEach((repo, config) -> {
            Duration interval = config.watchInterval();
            if (interval != null && !interval.isZero() && !interval.isNegative()) {
                scheduler.scheduleWithFixedDelay(() -> watchOnce(repo), interval.toMillis(), interval.toMillis(),
                        TimeUnit.MILLISECONDS);
                log.info("event=branch-watch-started repo={} interval={}", repo, interval);
            }
        });
    }

    /** One look at the branch; returns whether a target was set. */
    boolean watchOnce(String repo) {
        try {
            String tip = mirrors.mirror(repo).fetch();
            RepoState state = rollouts.state(repo);
            if (tip.equals(state.active()) || tip.equals(state.target().orElse(null)) || wasTargeted(repo, tip)) {
                return false;
            }
            rollouts.setTarget(repo, tip, "new commit on branch " + properties.repos().get(repo).branch(),
                    false, ACTOR);
            return true;
        }
        catch (RuntimeException ex) {
            log.warn("event=branch-watch-failed repo={} error={}", repo, LogText.quoted(ex.getMessage()));
            return false;
        }
    }

    /**
     * A tip that had a rollout before is not targeted again: after an operator rolled back from it, or cancelled it,
     * the watcher must not undo that decision. Only a new commit on the branch moves the fleet.
     */
    private boolean wasTargeted(String repo, String tip) {
        return rollouts.rollouts(repo, 0, HISTORY).stream().anyMatch(r -> r.commit().equals(tip));
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}

package org.lockstep.manifest.hooks;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.git.GitMirrors;
import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * The fallback when no webhook can be set up: for each repository with a {@code watch-interval}, fetch the branch
 * that often and offer its tip as the target, under the same rule as the webhooks ({@link AutomaticTargets}: never a
 * commit that already had a rollout). A failed fetch is logged and tried again at the next interval; it never changes
 * anything.
 */
@Component
class BranchWatcher implements SmartInitializingSingleton, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(BranchWatcher.class);

    static final String ACTOR = "branch-watcher";

    private final ManifestProperties properties;

    private final AutomaticTargets targets;

    private final GitMirrors mirrors;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "branch-watcher");
        thread.setDaemon(true);
        return thread;
    });

    BranchWatcher(ManifestProperties properties, AutomaticTargets targets, GitMirrors mirrors) {
        this.properties = properties;
        this.targets = targets;
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
            AutomaticTargets.Offer offer = targets.offer(repo, tip, ACTOR,
                    "new commit on branch " + properties.repos().get(repo).branch());
            return offer.outcome() == AutomaticTargets.Outcome.TARGETED;
        }
        catch (RuntimeException ex) {
            log.warn("event=branch-watch-failed repo={} error={}", repo, LogText.quoted(ex.getMessage()));
            return false;
        }
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}

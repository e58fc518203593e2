package org.lockstep.agent.health;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.lockstep.agent.health.PoolVerdict.RepoLag;
import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Every second, on its own thread (a preparation that takes minutes on the sync thread must not stop it): asks the
 * {@link PoolCheck}, holds or drops the {@link PoolLease}, logs a change of verdict, and feeds the gauges
 * {@code lockstep_agent_in_pool}, {@code lockstep_agent_lagging{repo}} and {@code lockstep_agent_behind_seconds{repo}}.
 * Stopping the agent keeps the lease: a restart must not take the host out; the lease runs out if none follows.
 */
public final class PoolCheckLoop implements SmartLifecycle {

    static final Duration EVERY = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(PoolCheckLoop.class);

    private final PoolCheck check;

    private final PoolLease lease;

    private final String host;

    private volatile PoolVerdict last;

    private String failure;

    private ScheduledExecutorService executor;

    public PoolCheckLoop(PoolCheck check, PoolLease lease, String host, MeterRegistry registry,
                         Collection<String> repos) {
        this.check = check;
        this.lease = lease;
        this.host = host;
        Gauge.builder("lockstep.agent.in.pool", () -> last == null ? Double.NaN : last.inPool() ? 1 : 0)
                .description("1 while the load balancer's check lets this host serve, 0 while it takes it out")
                .register(registry);
        for (String repo : repos) {
            Gauge.builder("lockstep.agent.lagging", () -> lag(repo).lagging() ? 1 : 0).tag("repo", repo)
                    .description("1 while current is not the last known active commit").register(registry);
            Gauge.builder("lockstep.agent.behind", () -> lag(repo).behind().toMillis() / 1000.0).tag("repo", repo)
                    .baseUnit("seconds").description("how long current has not been the active commit")
                    .register(registry);
        }
    }

    /** One round: decide, then make the lease say so. Public for tests that drive it without the thread. */
    public synchronized PoolVerdict once() throws IOException {
        PoolVerdict verdict = check.evaluate();
        if (verdict.inPool()) {
            lease.describe(verdict.reason());
            lease.hold(verdict.at());
        }
        else {
            lease.drop();
            lease.describe(verdict.reason());
        }
        PoolVerdict before = last;
        last = verdict;
        if (before == null || before.inPool() != verdict.inPool() || !before.reason().equals(verdict.reason())) {
            log.info("event=pool-check host={} inPool={} reason={}", host, verdict.inPool(),
                    LogText.quoted(verdict.reason()));
        }
        return verdict;
    }

    private void tick() {
        try {
            once();
            failure = null;
        }
        catch (IOException | RuntimeException e) {
            // The lease is not renewed: it runs out as a dead agent's would.
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!message.equals(failure)) {
                log.warn("event=pool-check-failed host={} error={}", host, LogText.quoted(message));
                failure = message;
            }
        }
    }

    private RepoLag lag(String repo) {
        PoolVerdict verdict = last;
        RepoLag lag = verdict == null ? null : verdict.repos().get(repo);
        return lag == null ? new RepoLag(false, Duration.ZERO) : lag;
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "lockstep-pool-check");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::tick, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}

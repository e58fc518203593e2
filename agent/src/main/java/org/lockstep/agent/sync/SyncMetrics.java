package org.lockstep.agent.sync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.lockstep.agent.git.GitFailure;
import org.lockstep.agent.release.VerifyFailed;

/**
 * The agent's meters, tagged by repository: {@code lockstep.agent.prepare.duration} and
 * {@code lockstep.agent.fetch.duration} (histograms with a few buckets: every host exports them),
 * {@code lockstep.agent.fetched.bytes}, {@code lockstep.agent.fetch.fallbacks}, {@code lockstep.agent.switches},
 * {@code lockstep.agent.failures} (by {@code kind}), {@code lockstep.agent.last.error} (1 while the last attempt
 * failed), {@code lockstep.agent.permanent.error} (1 while it failed for good) and
 * {@code lockstep.agent.last.error.timestamp} (epoch seconds of the last failure).
 */
public final class SyncMetrics {

    /** Few buckets on purpose: 2,000 hosts times every repository times each bucket is a series. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofSeconds(300)};

    private final MeterRegistry registry;

    private final Map<String, AtomicLong> failing = new ConcurrentHashMap<>();

    private final Map<String, AtomicLong> permanent = new ConcurrentHashMap<>();

    private final Map<String, AtomicLong> failedAt = new ConcurrentHashMap<>();

    public SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The kind of a failure, for {@code lockstep_agent_failures_total{kind}}: the project exception, in words. */
    static String kind(Throwable e) {
        if (e instanceof GitFailure || e instanceof VerifyFailed) {
            return e.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        }
        return e instanceof IOException || e instanceof UncheckedIOException ? "io" : "internal";
    }

    void prepared(String repo, Duration took) {
        timer("lockstep.agent.prepare.duration", "fetch, materialize and verify of a release", repo).record(took);
    }

    void fetched(String repo, long bytes, boolean fallback, Duration took) {
        timer("lockstep.agent.fetch.duration", "one fetch of a commit into the mirror", repo).record(took);
        Counter.builder("lockstep.agent.fetched.bytes").baseUnit("bytes").description("growth of the mirror by fetches")
                .tag("repo", repo).register(registry).increment(bytes);
        if (fallback) {
            Counter.builder("lockstep.agent.fetch.fallbacks").description("fetches by id refused, branch fetched")
                    .tag("repo", repo).register(registry).increment();
        }
    }

    void switched(String repo) {
        Counter.builder("lockstep.agent.switches").description("swaps of the current link").tag("repo", repo)
                .register(registry).increment();
    }

    /** The last attempt for {@code repo} succeeded. */
    void outcome(String repo, boolean failed) {
        gauge(failing, "lockstep.agent.last.error", "1 while the last attempt for the repository failed", repo)
                .set(failed ? 1 : 0);
        if (!failed) {
            gauge(permanent, "lockstep.agent.permanent.error", "1 while the last attempt failed for good", repo)
                    .set(0);
        }
    }

    void failed(String repo, String kind, boolean isPermanent) {
        outcome(repo, true);
        gauge(permanent, "lockstep.agent.permanent.error", "1 while the last attempt failed for good", repo)
                .set(isPermanent ? 1 : 0);
        gauge(failedAt, "lockstep.agent.last.error.timestamp", "epoch seconds of the last failure", repo)
                .set(System.currentTimeMillis() / 1000);
        Counter.builder("lockstep.agent.failures").description("failed attempts, by kind").tags("repo", repo, "kind",
                kind).register(registry).increment();
    }

    private Timer timer(String name, String description, String repo) {
        return Timer.builder(name).description(description).tag("repo", repo).serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    private AtomicLong gauge(Map<String, AtomicLong> values, String name, String description, String repo) {
        return values.computeIfAbsent(repo, r -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).description(description).tag("repo", r).register(registry);
            return value;
        });
    }
}

package org.lockstep.agent.sync;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The agent's meters, tagged by repository: {@code lockstep.agent.prepare.duration},
 * {@code lockstep.agent.fetched.bytes}, {@code lockstep.agent.fetch.fallbacks}, {@code lockstep.agent.switches},
 * {@code lockstep.agent.last.error} (1 while the last attempt failed) and
 * {@code lockstep.agent.last.error.timestamp} (epoch seconds of the last failure).
 */
public final class SyncMetrics {

    private final MeterRegistry registry;

    private final Map<String, AtomicLong> failing = new ConcurrentHashMap<>();

    private final Map<String, AtomicLong> failedAt = new ConcurrentHashMap<>();

    public SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void prepared(String repo, Duration took) {
        Timer.builder("lockstep.agent.prepare.duration").description("fetch, materialize and verify of a release")
                .tag("repo", repo).register(registry).record(took.toNanos(), TimeUnit.NANOSECONDS);
    }

    void fetched(String repo, long bytes, boolean fallback) {
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

    void outcome(String repo, boolean failed) {
        gauge(failing, "lockstep.agent.last.error", "1 while the last attempt for the repository failed", repo)
                .set(failed ? 1 : 0);
        if (failed) {
            gauge(failedAt, "lockstep.agent.last.error.timestamp", "epoch seconds of the last failure", repo)
                    .set(System.currentTimeMillis() / 1000);
        }
    }

    private AtomicLong gauge(Map<String, AtomicLong> values, String name, String description, String repo) {
        return values.computeIfAbsent(repo, r -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).description(description).tag("repo", r).register(registry);
            return value;
        });
    }
}

package org.lockstep.agent.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.lockstep.agent.client.Backoff;
import org.lockstep.agent.client.ManifestClient;
import org.lockstep.agent.client.ManifestUnavailable;
import org.lockstep.protocol.DesiredState;
import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The agent's loop, shaped like git-sync's: long-poll the manifest, judge the answer against the persisted
 * revision, {@link Syncer#syncOnce}, report. It owns waiting, backoff and failover; the syncer owns the disk.
 * While no manifest answers nothing is switched: the host keeps serving what it has.
 */
public final class SyncLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SyncLoop.class);

    private static final Duration MIN_WAIT = Duration.ofSeconds(1);

    private final ManifestClient client;

    private final Syncer syncer;

    private final Reporter reporter;

    private final AgentStateFile state;

    private final String host;

    private final Duration heartbeat;

    private final Backoff backoff;

    private volatile Thread thread;

    private ScheduledExecutorService heartbeats;

    public SyncLoop(ManifestClient client, Syncer syncer, Reporter reporter, AgentStateFile state, String host,
                    Duration heartbeat, Duration backoffMax) {
        this.client = client;
        this.syncer = syncer;
        this.reporter = reporter;
        this.state = state;
        this.host = host;
        this.heartbeat = heartbeat;
        this.backoff = new Backoff(backoffMax);
    }

    @Override
    public void start() {
        thread = new Thread(this::run, "lockstep-sync");
        thread.start();
    }

    @Override
    public void stop() {
        Thread running = thread;
        thread = null;
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        if (running != null) {
            running.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    private void run() {
        syncer.recover();
        reporter.report();
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "lockstep-heartbeat"));
        heartbeats.scheduleWithFixedDelay(this::heartbeat, heartbeat.toMillis(), heartbeat.toMillis() / 4,
                TimeUnit.MILLISECONDS);
        // Start from 0: the manifest answers at once, so a restarted agent reconciles without waiting for a change.
        long since = 0;
        while (thread != null) {
            try {
                since = once(since);
            }
            catch (ManifestUnavailable e) {
                if (thread == null) {
                    break;
                }
                Duration wait = backoff.next();
                log.warn("event=manifest-unavailable host={} attempt={} retryInMs={} error={}", host,
                        backoff.failures(), wait.toMillis(), LogText.quoted(e.getMessage()));
                sleep(wait);
            }
            catch (RuntimeException e) {
                log.error("event=sync-loop-failed host={} error={}", host, LogText.quoted(e.toString()), e);
                sleep(backoff.next());
            }
        }
        syncer.close();
    }

    private long once(long since) throws ManifestUnavailable {
        // A transient failure due for its retry before the manifest would answer: ask to be answered by then.
        // Never sooner than a second, so a retry that cannot happen (a repository the manifest does not list) never
        // spins the loop.
        Duration wait = syncer.nextRetry().map(at -> Duration.between(Instant.now(), at))
                .map(d -> d.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : d).orElse(null);
        DesiredState desired = client.poll(since, wait);
        AgentState acted = state.state();
        switch (acted.judge(desired)) {
            case STALE -> {
                log.warn("event=stale-desired-ignored host={} manifest={} store={} revision={} actedOn={}", host,
                        client.currentUrl(), desired.storeId(), desired.revision(), acted.revision());
                client.avoidCurrent();
                sleep(backoff.next());
                return acted.revision();
            }
            case NEW_STORE -> {
                if (acted.known()) {
                    log.error("event=manifest-store-changed host={} from={} fromRevision={} to={} revision={}"
                            + " hint=\"the manifest was rebuilt; following the new store\"", host, acted.storeId(),
                            acted.revision(), desired.storeId(), desired.revision());
                }
                else {
                    log.info("event=first-desired-state host={} store={} revision={}", host, desired.storeId(),
                            desired.revision());
                }
            }
            case ACCEPT -> {
                // Nothing to say: the usual case.
            }
        }
        backoff.reset();
        // Persist before acting, so that after a crash mid-action an older revision is still refused.
        state.write(AgentState.of(desired));
        SyncResult result = syncer.syncOnce(desired);
        if (result.worthReporting()) {
            reporter.report();
        }
        return desired.revision();
    }

    private void heartbeat() {
        try {
            if (Duration.between(reporter.lastSent(), Instant.now()).compareTo(heartbeat) >= 0) {
                reporter.report();
            }
        }
        catch (RuntimeException e) {
            log.warn("event=heartbeat-failed host={} error={}", host, LogText.quoted(e.toString()), e);
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

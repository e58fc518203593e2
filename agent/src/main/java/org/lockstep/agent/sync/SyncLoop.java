package org.lockstep.agent.sync;

import java.time.Duration;
import java.time.Instant;

import org.lockstep.agent.client.Backoff;
import org.lockstep.agent.client.ManifestClient;
import org.lockstep.agent.client.ManifestUnavailable;
import org.lockstep.protocol.DesiredState;
import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The running agent: at start it recovers the disk and starts one worker per repository and the reporter; then
 * its own thread ({@code lockstep-poll}) long-polls the manifest, shaped like git-sync's loop. Every answer, and
 * every answer to a report, goes through one {@link Intake} (revision guard, persist, offer), and each repository's
 * worker acts on it by itself. The loop owns waiting, backoff and failover; the workers own the disk. While no
 * manifest answers nothing is switched: the host keeps serving what it has.
 *
 * <p>Stopping is quiet and bounded: polls stop (a held one is cut off by closing its connection), then the reporter,
 * then the workers (preparations are cancelled at their next checkpoint); the mirrors are closed once, by
 * {@link Syncer#close}.
 */
public final class SyncLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SyncLoop.class);

    /** How long stopping may wait for each of the poll thread, the report thread and the workers. */
    static final Duration STOP_BOUND = Duration.ofSeconds(5);

    private static final Duration MIN_WAIT = Duration.ofSeconds(1);

    private final ManifestClient client;

    private final Syncer syncer;

    private final Reporter reporter;

    private final AgentStateFile state;

    private final String host;

    private final Duration heartbeat;

    private final Backoff backoff;

    private final Intake intake;

    private final Object polling = new Object();

    private volatile boolean running;

    private Thread thread;

    public SyncLoop(ManifestClient client, Syncer syncer, Reporter reporter, AgentStateFile state, String host,
                    Duration heartbeat, Duration backoffMax) {
        this.client = client;
        this.syncer = syncer;
        this.reporter = reporter;
        this.state = state;
        this.host = host;
        this.heartbeat = heartbeat;
        this.backoff = new Backoff(backoffMax);
        this.intake = new Intake(state, syncer, host);
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "lockstep-poll");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            synchronized (polling) {
                polling.notifyAll();
            }
            awaitEnd(thread, client);
            reporter.stop();
            syncer.stop(STOP_BOUND);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("event=stopped host={}", host);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        syncer.recover();
        synchronized (this) {
            if (!running) {
                return;
            }
            syncer.start(reporter::requestReport);
            reporter.start(heartbeat, answer -> intake.accept(answer.desired(), answer.asked(), true,
                    answer.manifest()));
        }
        // Start from 0: the manifest answers at once, so a restarted agent reconciles without waiting for a change.
        long since = 0;
        while (running) {
            try {
                since = once(since);
            }
            catch (ManifestUnavailable e) {
                if (!running) {
                    break;
                }
                Duration wait = backoff.next();
                log.warn("event=manifest-unavailable host={} attempt={} retryInMs={} error={}", host,
                        backoff.failures(), wait.toMillis(), LogText.quoted(e.getMessage()));
                sleep(wait);
            }
            catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                log.error("event=sync-loop-failed host={} error={}", host, LogText.quoted(e.toString()), e);
                sleep(backoff.next());
            }
        }
    }

    private long once(long since) throws ManifestUnavailable {
        AgentState asked = state.state();
        // A transient failure due for its retry before the manifest would answer: ask to be answered by then, so the
        // desired state is read afresh around the retry (its worker wakes for the retry itself). Never sooner than a
        // second, so a retry that cannot happen never spins the loop.
        Duration wait = syncer.nextRetry().map(at -> Duration.between(Instant.now(), at))
                .map(d -> d.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : d).orElse(null);
        DesiredState desired = client.poll(since, wait);
        if (!running) {
            return since;
        }
        if (intake.accept(desired, asked, false, client.currentUrl()) == Intake.Outcome.STALE) {
            client.avoidCurrent();
            sleep(backoff.next());
        }
        else {
            backoff.reset();
        }
        return state.state().revision();
    }

    /** Waits at most {@link #STOP_BOUND} for {@code thread}, cutting off the HTTP call it may be blocked in. */
    static void awaitEnd(Thread thread, ManifestClient client) throws InterruptedException {
        long deadline = System.nanoTime() + STOP_BOUND.toNanos();
        while (thread != null && thread.isAlive() && System.nanoTime() < deadline) {
            client.abort();
            thread.join(50);
        }
    }

    /** Waits out a backoff; {@link #stop} ends the wait. */
    private void sleep(Duration wait) {
        synchronized (polling) {
            try {
                if (running) {
                    polling.wait(Math.max(1, wait.toMillis()));
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

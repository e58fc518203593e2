package org.lockstep.agent.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import org.lockstep.agent.client.ManifestClient;
import org.lockstep.agent.client.ManifestUnavailable;
import org.lockstep.protocol.AgentReport;
import org.lockstep.protocol.DesiredState;
import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the host's state to the manifest, from its own thread ({@code lockstep-report}): at once when a repository
 * changed ({@link #requestReport}; requests made while a report is on its way are folded into one more), and as a
 * heartbeat when none went out for {@code heartbeat}. Each report is built fresh from disk at the moment it is sent,
 * and the manifest's answer (the desired state at that moment) is handed on like a poll answer: the host whose
 * report completed a preparation learns of the activation from that answer, in one step.
 *
 * <p>Reports are ordered for the manifest by {@code session} (a random UUID made when the process starts) and
 * {@code sequence} (1, 2, 3, ... per report made in the session), never by the host's clock. Sends are serialized,
 * and a report takes its sequence when it is made, inside the same lock, so sequences reach the wire in the order
 * the reports were made. One report sent again to the next manifest URL after a failure keeps its sequence (same
 * content); every report made afterwards, a retry after a failed round included, is made anew from disk and gets a
 * higher one.
 */
public final class Reporter {

    private static final Logger log = LoggerFactory.getLogger(Reporter.class);

    /** A manifest's answer to a report, and what the agent had acted on when it made the report. */
    record Answer(DesiredState desired, AgentState asked, String manifest) {
    }

    private final ManifestClient client;

    private final Syncer syncer;

    private final AgentStateFile state;

    private final String host;

    private final String session = UUID.randomUUID().toString();

    private final Object wake = new Object();

    private final Object sending = new Object();

    private long sequence;

    private boolean failing;

    private boolean requested;

    private volatile boolean stopping;

    private volatile Instant lastSent = Instant.EPOCH;

    private volatile Instant lastAttempt = Instant.EPOCH;

    private Thread thread;

    public Reporter(ManifestClient client, Syncer syncer, AgentStateFile state, String host) {
        this.client = client;
        this.syncer = syncer;
        this.state = state;
        this.host = host;
    }

    /** The random id of this process's reports. */
    public String session() {
        return session;
    }

    /** Reports now, on this thread; returns the manifest's answer, or empty when no manifest took the report. */
    public Optional<DesiredState> report() {
        return send().map(Answer::desired);
    }

    /** When a report last reached a manifest. */
    public Instant lastSent() {
        return lastSent;
    }

    /** Asks the report thread for a report as soon as it can: something changed on disk. */
    public void requestReport() {
        synchronized (wake) {
            requested = true;
            wake.notifyAll();
        }
    }

    /** Starts the report thread: a report at once, then on request and every {@code heartbeat}. */
    synchronized void start(Duration heartbeat, Consumer<Answer> answers) {
        thread = new Thread(() -> run(heartbeat, answers), "lockstep-report");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the report thread, cutting off a report on its way (quietly); waits a bounded time. */
    synchronized void stop() throws InterruptedException {
        stopping = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        SyncLoop.awaitEnd(thread, client);
    }

    private void run(Duration heartbeat, Consumer<Answer> answers) {
        // While no manifest answers, heartbeats are tried four times as often: the first one back is seen soon.
        Duration retry = heartbeat.dividedBy(4);
        while (!stopping) {
            try {
                synchronized (wake) {
                    long wait;
                    while (!stopping && !requested && (wait = untilDue(heartbeat, retry)) > 0) {
                        wake.wait(wait);
                    }
                    requested = false;
                }
                if (!stopping) {
                    send().ifPresent(answers);
                }
            }
            catch (InterruptedException e) {
                return;
            }
            catch (RuntimeException e) {
                if (!stopping) {
                    log.error("event=report-loop-failed host={} error={}", host, LogText.quoted(e.toString()), e);
                }
            }
        }
    }

    private long untilDue(Duration heartbeat, Duration retry) {
        Instant due = lastSent.plus(heartbeat);
        Instant retryAt = lastAttempt.plus(retry);
        Instant at = due.isAfter(retryAt) ? due : retryAt;
        return Duration.between(Instant.now(), at).toMillis();
    }

    /** Builds the report from disk with the next sequence and sends it; the answer, or empty. */
    private Optional<Answer> send() {
        synchronized (sending) {
            AgentState acted = state.state();
            AgentReport report = new AgentReport(Instant.now(), acted.storeId(), acted.revision(), syncer.reports(),
                    session, ++sequence);
            lastAttempt = Instant.now();
            try {
                DesiredState answer = client.report(report);
                lastSent = Instant.now();
                if (failing) {
                    log.info("event=report-resumed host={} manifest={}", host, client.currentUrl());
                    failing = false;
                }
                log.debug("event=reported host={} sequence={} revision={} repos={}", host, report.sequence(),
                        report.revision(), LogText.quoted(report.repos().toString()));
                return Optional.of(new Answer(answer, acted, client.currentUrl()));
            }
            catch (ManifestUnavailable e) {
                // Logged once per outage: the poll loop already logs every failed attempt. Quiet when stopping.
                if (!failing && !stopping) {
                    log.warn("event=report-failed host={} error={}", host, LogText.quoted(e.getMessage()));
                    failing = true;
                }
                return Optional.empty();
            }
        }
    }
}

package org.lockstep.agent.sync;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.lockstep.agent.client.ManifestClient;
import org.lockstep.agent.client.ManifestUnavailable;
import org.lockstep.protocol.AgentReport;
import org.lockstep.protocol.DesiredState;
import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the host's state to the manifest: after every change (from the sync thread) and as a heartbeat (from the
 * heartbeat thread). Each report is built fresh from disk at the moment it is sent.
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

    private final ManifestClient client;

    private final Syncer syncer;

    private final AgentStateFile state;

    private final String host;

    private final String session = UUID.randomUUID().toString();

    private long sequence;

    private volatile Instant lastSent = Instant.EPOCH;

    private boolean failing;

    public Reporter(ManifestClient client, Syncer syncer, AgentStateFile state, String host) {
        this.client = client;
        this.syncer = syncer;
        this.state = state;
        this.host = host;
    }

    /** The next report: the disk as it is now, with the next sequence number of this session. */
    synchronized AgentReport build() {
        AgentState acted = state.state();
        return new AgentReport(Instant.now(), acted.storeId(), acted.revision(), syncer.reports(), session,
                ++sequence);
    }

    /** The random id of this process's reports. */
    public String session() {
        return session;
    }

    /** Reports now; returns the manifest's answer, or empty when no manifest took the report. */
    public synchronized Optional<DesiredState> report() {
        AgentReport report = build();
        try {
            DesiredState answer = client.report(report);
            lastSent = Instant.now();
            if (failing) {
                log.info("event=report-resumed host={} manifest={}", host, client.currentUrl());
                failing = false;
            }
            log.debug("event=reported host={} sequence={} revision={} repos={}", host, report.sequence(),
                    report.revision(), LogText.quoted(report.repos().toString()));
            return Optional.of(answer);
        }
        catch (ManifestUnavailable e) {
            // Logged once per outage: the poll loop already logs every failed attempt.
            if (!failing) {
                log.warn("event=report-failed host={} error={}", host, LogText.quoted(e.getMessage()));
                failing = true;
            }
            return Optional.empty();
        }
    }

    /** When a report last reached a manifest. */
    public Instant lastSent() {
        return lastSent;
    }
}

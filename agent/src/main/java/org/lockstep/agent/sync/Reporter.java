package org.lockstep.agent.sync;

import java.time.Instant;
import java.util.Optional;

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
 */
public final class Reporter {

    private static final Logger log = LoggerFactory.getLogger(Reporter.class);

    private final ManifestClient client;

    private final Syncer syncer;

    private final AgentStateFile state;

    private final String host;

    private volatile Instant lastSent = Instant.EPOCH;

    private boolean failing;

    public Reporter(ManifestClient client, Syncer syncer, AgentStateFile state, String host) {
        this.client = client;
        this.syncer = syncer;
        this.state = state;
        this.host = host;
    }

    public AgentReport build() {
        AgentState acted = state.state();
        return new AgentReport(Instant.now(), acted.storeId(), acted.revision(), syncer.reports());
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
            log.debug("event=reported host={} revision={} repos={}", host, report.revision(),
                    LogText.quoted(report.repos().toString()));
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

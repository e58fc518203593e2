package org.lockstep.agent.sync;

import org.lockstep.protocol.DesiredState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every desired state the agent receives goes in, from the long-poll and from the answer to a report alike:
 * judged against the persisted revision guard, persisted, then offered to the repositories' workers, all under one
 * lock, so the workers are offered revisions in increasing order and none is acted on before it is persisted
 * (what a restart after a kill reads); it is synced to the disk while they act.
 */
final class Intake {

    private static final Logger log = LoggerFactory.getLogger(Intake.class);

    /** What became of a desired state. */
    enum Outcome {
        /** Persisted and offered to the workers. */
        OFFERED,
        /** The answer to a report, with the revision already acted on: nothing new. */
        ALREADY_ACTED,
        /**
         * Older than the revision acted on, but not older than what the agent knew when it asked: the other way in
         * (poll or report) brought a newer revision meanwhile. Ignored quietly.
         */
        OVERTAKEN,
        /** Older than what the agent knew when it asked (a stale instance, a healed partition); never acted on. */
        STALE
    }

    private final AgentStateFile state;

    private final Syncer syncer;

    private final String host;

    Intake(AgentStateFile state, Syncer syncer, String host) {
        this.state = state;
        this.syncer = syncer;
        this.host = host;
    }

    /**
     * @param desired    what a manifest answered
     * @param asked      the persisted state when the request was made (what the agent knew then)
     * @param fromReport whether it answers a report (else a poll); a report's answer is acted on only when newer
     * @param manifest   the manifest URL that answered, for the log
     */
    Outcome accept(DesiredState desired, AgentState asked, boolean fromReport, String manifest) {
        Outcome outcome = judgeAndOffer(desired, asked, fromReport, manifest);
        if (outcome == Outcome.OFFERED) {
            syncer.switchNow();
            // Durable against a power cut once acted on, not before: a disk flush can take tens of ms.
            state.sync();
        }
        return outcome;
    }

    private synchronized Outcome judgeAndOffer(DesiredState desired, AgentState asked, boolean fromReport,
                                               String manifest) {
        AgentState acted = state.state();
        switch (acted.judge(desired)) {
            case STALE -> {
                if (asked.judge(desired) != AgentState.Verdict.STALE) {
                    return Outcome.OVERTAKEN;
                }
                log.warn("event=stale-desired-ignored host={} manifest={} store={} revision={} actedOn={}", host,
                        manifest, desired.storeId(), desired.revision(), acted.revision());
                return Outcome.STALE;
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
                if (fromReport && desired.revision() == acted.revision()) {
                    return Outcome.ALREADY_ACTED;
                }
            }
        }
        // Persist before acting, so that after a crash mid-action an older revision is still refused.
        state.write(AgentState.of(desired));
        syncer.offer(desired);
        return Outcome.OFFERED;
    }
}

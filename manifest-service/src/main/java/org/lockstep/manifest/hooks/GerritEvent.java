package org.lockstep.manifest.hooks;

/**
 * The fields Lockstep reads from a Gerrit stream event (as sent by the webhooks plugin); only {@code ref-updated}
 * events are acted on.
 *
 * @param type      the event type, e.g. {@code ref-updated}
 * @param refUpdate what changed
 * @param submitter who made the change, when Gerrit says
 */
record GerritEvent(String type, RefUpdate refUpdate, Account submitter) {

    /**
     * @param project the Gerrit project
     * @param refName the ref, e.g. {@code refs/heads/main} (older Gerrit versions send {@code main})
     * @param newRev  the commit the ref points at now
     */
    record RefUpdate(String project, String refName, String newRev) {
    }

    /** @param username the account's user name */
    record Account(String username) {
    }
}

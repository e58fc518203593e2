package org.lockstep.agent.git;

/**
 * What {@link GitMirror#fetch} did.
 *
 * @param how   whether the commit was already there, fetched by id, or fetched through the branch after the server
 *              refused a fetch by id
 * @param bytes how much the mirror's object store grew
 */
public record FetchOutcome(How how, long bytes) {

    /** How the commit got into the mirror. */
    public enum How {
        /** The mirror already had the commit; nothing was fetched. */
        ALREADY_PRESENT,
        /** Fetched by commit id (the server allows unadvertised wants, or speaks protocol v2). */
        BY_ID,
        /** The server refused the id; the branch was fetched instead and contained the commit. */
        BRANCH_FALLBACK
    }
}

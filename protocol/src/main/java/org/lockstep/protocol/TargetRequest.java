package org.lockstep.protocol;

/**
 * Body of {@code PUT /api/v1/repos/{repo}/target}.
 *
 * @param commit   the full commit id to deploy
 * @param reason   free text shown in the history (a pipeline URL, a ticket)
 * @param rollback {@code true} to allow a commit that is not a descendant of the active one (operators only)
 */
public record TargetRequest(String commit, String reason, Boolean rollback) {

    public boolean isRollback() {
        return Boolean.TRUE.equals(rollback);
    }
}

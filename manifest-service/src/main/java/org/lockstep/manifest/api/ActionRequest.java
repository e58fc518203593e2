package org.lockstep.manifest.api;

/**
 * Body of an operator action.
 *
 * @param commit  for rollback: the commit to go back to
 * @param reason  why (shown in the audit history)
 * @param rollout for cancel: the rollout the operator saw; refused with 409 if another one is pending now
 */
public record ActionRequest(String commit, String reason, Long rollout) {
}

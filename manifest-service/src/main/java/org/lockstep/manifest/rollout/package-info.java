/**
 * Rollouts as the service offers them: {@link org.lockstep.manifest.rollout.RolloutService} checks input against the
 * configuration and the branch ({@code git}), applies one {@code rollout.machine.Command} through the store, and
 * hands out the store's change channel; also the hosts' last-seen times and the failures it names
 * ({@link org.lockstep.manifest.rollout.UnknownRepository}, {@link org.lockstep.manifest.rollout.CommitNotOnBranch}).
 * <p>
 * Depends on {@code rollout.machine}, {@code store}, {@code change}, {@code git} and the configuration; the edges
 * ({@code api}, {@code page}, {@code hooks}, {@code metrics}) depend on it. Nothing below it (machine, store, change)
 * depends on it.
 */
package org.lockstep.manifest.rollout;

/**
 * The REST API ({@code /api/v1}): repositories, rollouts, targets, operator actions, the agents' report and
 * long-poll ({@link org.lockstep.manifest.api.DesiredStateWaiters}, answered from the service's change channel), and
 * the one mapping of every failure to a problem detail (request bodies are bounded below it, in {@code web}). Also
 * the read models ({@link org.lockstep.manifest.api.StatusViews}, {@link org.lockstep.manifest.api.RolloutView}) the
 * page shows too.
 * <p>
 * A thin edge: checks who may do what and turns HTTP into calls of {@code rollout.RolloutService}. Depends on
 * {@code rollout} (and its machine's types), {@code change}, {@code auth}, {@code problem}, {@code web}, and on the
 * exceptions of {@code git}, {@code hooks} and {@code store} that it maps to problems; never on a store itself. Only
 * {@code page} depends on it.
 */
package org.lockstep.manifest.api;

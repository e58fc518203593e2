/**
 * The one change channel: {@link org.lockstep.manifest.change.ChangeChannel} announces every durable change of the
 * manifest's state ({@link org.lockstep.manifest.change.Change.Written} by this instance, or
 * {@link org.lockstep.manifest.change.Change.Heard} from another through the etcd store), once, after it is durable.
 * Each store owns one and publishes into it; subscribers (long-poll waiters, metrics, later the page) get the
 * subscribing side, {@link org.lockstep.manifest.change.Changes}, from {@code RolloutService.changes()}.
 * <p>
 * Plain Java: depends only on {@code rollout.machine}'s types, so the store below it and the service and edges above
 * it can all use it.
 */
package org.lockstep.manifest.change;

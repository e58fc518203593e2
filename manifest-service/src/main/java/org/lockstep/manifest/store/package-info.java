/**
 * Durable state: the {@link org.lockstep.manifest.store.ManifestStore} contract (atomic, durable updates of one
 * repository's state through the machine, the revision, the rollout history, the change channel), the JSON codec
 * all stores share, and {@link org.lockstep.manifest.store.StoreUnavailable}. The implementations are in
 * {@code store.embedded} and {@code store.etcd}; the root package's wiring picks one.
 * <p>
 * Depends on {@code rollout.machine} and {@code change} only: no web ({@code api}, {@code page}, {@code hooks},
 * Spring web), not the service.
 */
package org.lockstep.manifest.store;

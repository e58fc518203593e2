/**
 * The etcd store ({@code lockstep.manifest.store=etcd}): several manifest instances share state through one etcd
 * cluster. Only {@link org.lockstep.manifest.store.etcd.EtcdManifestStore} is public; key layout, call timeouts and
 * the revision watch are package-private helpers. Depends on {@code store} and {@code rollout}, nothing else.
 */
package org.lockstep.manifest.store.etcd;

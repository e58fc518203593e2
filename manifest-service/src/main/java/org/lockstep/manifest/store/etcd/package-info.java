/**
 * The etcd store ({@code lockstep.manifest.store=etcd}): several manifest instances share state through one etcd
 * cluster. Only {@link org.lockstep.manifest.store.etcd.EtcdManifestStore} is public; key layout, call timeouts and
 * the revision watch (which feeds the change channel with other instances' revisions) are package-private helpers.
 * Depends on {@code store}, {@code change}, {@code rollout.machine} and {@code protocol}'s log quoting only.
 */
package org.lockstep.manifest.store.etcd;

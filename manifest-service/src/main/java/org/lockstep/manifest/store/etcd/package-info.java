/**
 * The etcd store ({@code lockstep.manifest.store=etcd}): several manifest instances share state through one etcd
 * cluster. Public: {@link org.lockstep.manifest.store.etcd.EtcdManifestStore}, its
 * {@link org.lockstep.manifest.store.etcd.EtcdSettings} (endpoints, prefix, timeout, TLS files, user) and the
 * {@link org.lockstep.manifest.store.etcd.EtcdProblem}s health names. Package-private helpers: the connection
 * (opening with retries, probes, health: {@code EtcdConnection}), the jetcd clients built from the files
 * ({@code EtcdClients}), the classification of what etcd answered ({@code EtcdFaults}), key layout, call timeouts
 * and the revision watch (which feeds the change channel with other instances' revisions).
 * Depends on {@code store}, {@code change}, {@code rollout.machine} and {@code protocol}'s log quoting only.
 */
package org.lockstep.manifest.store.etcd;

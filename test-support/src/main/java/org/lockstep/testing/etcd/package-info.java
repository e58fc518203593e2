/**
 * Real etcd for tests: one member or a cluster as processes ({@link org.lockstep.testing.etcd.EtcdProcess},
 * {@link org.lockstep.testing.etcd.EtcdMembers}), certificates made with openssl
 * ({@link org.lockstep.testing.etcd.EtcdTls}), and what an operator does with etcdctl
 * ({@link org.lockstep.testing.etcd.EtcdAdmin}, on jetcd: a module that uses it declares {@code jetcd-core}, which
 * test-support has as an optional dependency). Depends on the root package only.
 */
package org.lockstep.testing.etcd;

/**
 * A real etcd as a process ({@link org.lockstep.testing.etcd.EtcdProcess}), for the etcd store's tests and for
 * fleets on etcd. Depends on the root package only.
 */
package org.lockstep.testing.etcd;

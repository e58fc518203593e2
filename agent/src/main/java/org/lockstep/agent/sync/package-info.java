/**
 * The heart of the agent: {@link org.lockstep.agent.sync.Syncer#syncOnce} (activate, withdraw, prepare, prune),
 * what it did as {@link org.lockstep.agent.sync.SyncEvent} records (logged in one place, {@code SyncLog}), the loop
 * around it ({@link org.lockstep.agent.sync.SyncLoop}), the reporter, the persisted revision guard
 * ({@link org.lockstep.agent.sync.AgentState}) and the crash-test hold points. Depends on {@code git},
 * {@code release}, {@code client} and {@code config}; only {@code health} and the wiring depend on it.
 */
package org.lockstep.agent.sync;

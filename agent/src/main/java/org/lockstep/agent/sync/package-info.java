/**
 * The heart of the agent: {@link org.lockstep.agent.sync.Syncer#syncOnce} (activate, withdraw, prepare, prune),
 * the loop around it ({@link org.lockstep.agent.sync.SyncLoop}), the reporter, the persisted revision guard
 * ({@link org.lockstep.agent.sync.AgentState}) and the crash-test hold points. Depends on {@code git},
 * {@code release} and {@code client}.
 */
package org.lockstep.agent.sync;

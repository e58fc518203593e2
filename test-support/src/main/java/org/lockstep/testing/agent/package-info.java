/**
 * The agent seen from outside: its configuration files ({@link org.lockstep.testing.agent.AgentConfig}) and the
 * packaged jar as a process ({@link org.lockstep.testing.agent.AgentProcess}). Depends on the root package and on
 * {@code manifest} for the tokens.
 */
package org.lockstep.testing.agent;

/**
 * The agent's configuration ({@code lockstep.agent.*}, {@link org.lockstep.agent.config.AgentProperties}) and the
 * token file it names. Depends on nothing else of the agent; the feature packages read their settings from here.
 * The wiring of the parts is {@code org.lockstep.agent.AgentConfiguration}, above every feature package.
 */
package org.lockstep.agent.config;

/**
 * The agent's configuration ({@code lockstep.agent.*}) and the wiring of its parts. The only package that knows
 * about every other one; the feature packages do not depend on it except for {@link
 * org.lockstep.agent.config.AgentProperties}.
 */
package org.lockstep.agent.config;

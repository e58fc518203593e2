/**
 * {@code /actuator/health} for load balancers: is every repository serving the active commit? Reads the disk
 * ({@code release}'s links and layout) and the persisted state ({@code sync}'s agent state) with the configuration;
 * changes nothing. Nothing depends on it but the wiring.
 */
package org.lockstep.agent.health;

/**
 * What the host's health is, for two readers. {@code /actuator/health} for people and scripts: is every repository
 * serving the active commit right now? The load balancer's check, answered by the web server from a lease in
 * {@code <base-dir>/.lb-check/}: {@link org.lockstep.agent.health.PoolCheck} decides (with a grace for the switch
 * window, and never for causes outside the host), {@link org.lockstep.agent.health.PoolLease} writes the files,
 * {@link org.lockstep.agent.health.PoolCheckLoop} does both every second on its own thread. Reads the disk and the
 * persisted state ({@code release}'s links and layout, {@code sync}'s agent state) with the configuration; writes
 * nothing but the lease. Nothing depends on it but the wiring.
 */
package org.lockstep.agent.health;

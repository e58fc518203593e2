/**
 * {@code /actuator/health} for load balancers: is every repository serving the active commit? Reads the disk and
 * the persisted state; changes nothing.
 */
package org.lockstep.agent.health;

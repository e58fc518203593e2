/**
 * The stable problem types of the API (RFC 9457, {@code urn:lockstep:problem:<slug>}) and how to write one outside
 * Spring MVC. Depends on nothing of Lockstep's, so {@code auth}, {@code api} and filters all stand on it.
 */
package org.lockstep.manifest.problem;

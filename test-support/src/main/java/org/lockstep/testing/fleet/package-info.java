/**
 * The one fleet: {@link org.lockstep.testing.fleet.Fleet} runs a schema repository behind git daemon, the manifest
 * and an agent (and nginx) per host as real processes; {@link org.lockstep.testing.fleet.LinkRecorder} watches the
 * hosts' links from outside and {@link org.lockstep.testing.fleet.Invariants} checks docs/design.md's invariants on
 * what it saw. Depends on every other package of the toolkit; nothing depends on it.
 */
package org.lockstep.testing.fleet;

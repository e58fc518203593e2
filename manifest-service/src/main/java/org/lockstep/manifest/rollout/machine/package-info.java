/**
 * The rollout state machine of {@code docs/design.md}: {@link org.lockstep.manifest.rollout.machine.RolloutMachine}
 * applies one {@link org.lockstep.manifest.rollout.machine.Command} to a
 * {@link org.lockstep.manifest.rollout.machine.RepoState} and returns a
 * {@link org.lockstep.manifest.rollout.machine.Transition}, with the values it works on (rollouts, their states and
 * audit vocabulary, host statuses).
 * <p>
 * The heart, in plain Java: no Spring, no I/O, no store, no Jackson, no clock; it depends on nothing but the JDK's
 * {@code java.lang}, {@code java.util} and {@code java.time}. Everything else may depend on it; the manifest's
 * {@code ArchitectureTests} check both.
 */
package org.lockstep.manifest.rollout.machine;

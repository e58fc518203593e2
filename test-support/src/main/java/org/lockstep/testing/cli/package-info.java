/**
 * The {@code lockstep} command seen from outside: the packaged {@code lockstep.jar} run as a process to its end
 * ({@link org.lockstep.testing.cli.LockstepCli}), with its exit code and its two output streams apart. Depends on the
 * root package only.
 */
package org.lockstep.testing.cli;

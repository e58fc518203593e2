/**
 * The toolkit's primitives, used by every module's tests and by the benchmark: {@link org.lockstep.testing.GitRepo}
 * (repositories on JGit's porcelain, {@link org.lockstep.testing.CraftedTree} for trees the porcelain refuses),
 * {@link org.lockstep.testing.IsolatedGit} (the one git-config isolation), {@link org.lockstep.testing.GitDaemon},
 * {@link org.lockstep.testing.ManagedProcess} and {@link org.lockstep.testing.Processes} (processes that never
 * outlive a test), {@link org.lockstep.testing.Trees} (the one tree comparison) and {@link org.lockstep.testing.Http}.
 * Depends on nothing of Lockstep; the sub-packages depend on it, never the other way.
 */
package org.lockstep.testing;

/**
 * The JGit edge: {@link org.lockstep.agent.git.GitMirror} (a bare mirror per repository: fetch by id with a
 * branch fallback, pins) and {@link org.lockstep.agent.git.TreeExporter} (a commit's tree to a directory). The
 * exporter plans everything in memory first ({@code TreePlan}: git's own {@code ObjectChecker} on every tree,
 * names exactly representable ({@code Names}), symlinks kept inside ({@code SymlinkGuard})), then writes with as
 * few system calls as it can and never through a link ({@code ReleaseWriter}). JGit types and exceptions do not
 * leave this package except {@code Repository} handed from the mirror to the exporter; failures become
 * {@link org.lockstep.agent.git.GitFailure}s named after what went wrong. Depends on nothing else in the agent.
 */
package org.lockstep.agent.git;

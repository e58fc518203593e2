/**
 * The manifest's JGit edge: {@link org.lockstep.manifest.git.BranchMirror}, one bare mirror per repository, fetched
 * before a target is accepted to check the commit is on the branch and how it relates to the active commit, and to
 * describe commits on the page. JGit failures become {@link org.lockstep.manifest.git.RemoteUnreachable}. Depends
 * on the configuration and on {@code rollout.machine}'s {@code Ancestry} only.
 */
package org.lockstep.manifest.git;

package org.lockstep.protocol;

import java.util.List;

/**
 * What the manifest wants one host to do, for every repository the host serves.
 *
 * @param storeId  the UUID made when the manifest's store was created; a different id means a rebuilt manifest
 * @param revision grows with every change of any repository's desired state; agents poll for anything after it
 * @param repos    one entry per repository the host is expected to serve
 */
public record DesiredState(String storeId, long revision, List<RepoDesired> repos) {

    public DesiredState {
        repos = repos == null ? List.of() : List.copyOf(repos);
    }

    /**
     * The desired state of one repository.
     *
     * @param repo    the repository name
     * @param url     where the manifest itself fetches the repository (agents use their own configured URL)
     * @param branch  the branch targets must be on
     * @param active  the commit every host must serve now, or {@code null} before the first activation
     * @param target  the commit to prepare ahead of activation, or {@code null} when nothing is pending
     * @param rollout the id of the rollout {@code target} belongs to, or {@code null}
     * @param retry   the operator retry generation of {@code target} (0 until {@code POST .../retry}): an agent that
     *                gave up on {@code target} after a permanent error prepares it again only when this grows
     */
    public record RepoDesired(String repo, String url, String branch, String active, String target, Long rollout,
                              long retry) {

        /** A desired state with no retry asked for. */
        public RepoDesired(String repo, String url, String branch, String active, String target, Long rollout) {
            this(repo, url, branch, active, target, rollout, 0);
        }
    }
}

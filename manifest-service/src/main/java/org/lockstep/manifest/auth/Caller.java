package org.lockstep.manifest.auth;

import java.util.List;

import org.lockstep.manifest.ManifestProperties.Role;

/**
 * Who is calling, as established from a bearer token (or an operator's session).
 *
 * @param name  the token's name: recorded as the actor of everything done with it
 * @param role  what it may do
 * @param repos for {@code ci}: the repositories it may set targets for
 * @param host  for {@code agent}: the host it speaks for
 */
public record Caller(String name, Role role, List<String> repos, String host) {

    public Caller {
        repos = List.copyOf(repos);
    }

    /** Whether this caller may set a (forward) target for {@code repo}. */
    public boolean maySetTarget(String repo) {
        return role == Role.operator || (role == Role.ci && repos.contains(repo));
    }

    /** Whether this caller may roll back, pause, resume or cancel. */
    public boolean isOperator() {
        return role == Role.operator;
    }

    /** Whether this caller may report and poll for {@code otherHost}. */
    public boolean mayActAs(String otherHost) {
        return role == Role.agent && otherHost.equals(host);
    }
}

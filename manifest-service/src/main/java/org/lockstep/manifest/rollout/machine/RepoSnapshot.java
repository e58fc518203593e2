package org.lockstep.manifest.rollout.machine;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the machine is given to apply one command: the repository's summary, its expected hosts and the host entries
 * the command reads ({@link Command#reads()}), all as of one moment of the store.
 *
 * @param state         the repository's summary
 * @param expectedHosts the hosts that must serve the repository (not copied: stores hand out an unmodifiable set)
 * @param hosts         host -> entry, for the hosts read that have one
 */
public record RepoSnapshot(RepoState state, Set<String> expectedHosts, Map<String, HostEntry> hosts) {

    public RepoSnapshot {
        expectedHosts = Set.copyOf(expectedHosts);
        hosts = Collections.unmodifiableMap(new HashMap<>(hosts));
    }

    public static RepoSnapshot of(RepoState state, Set<String> expectedHosts, Collection<HostEntry> entries) {
        Map<String, HostEntry> byHost = new HashMap<>();
        entries.forEach(entry -> byHost.put(entry.host(), entry));
        return new RepoSnapshot(state, expectedHosts, byHost);
    }

    public Optional<HostEntry> host(String name) {
        return Optional.ofNullable(hosts.get(name));
    }
}

package org.lockstep.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks {@code lockstep.manifest.repos.<name>.activate-after} when the configuration is bound, so that a manifest
 * whose repositories could wait for each other forever never starts: every name listed must be another configured
 * repository, and following the lists from any repository must never lead back to it.
 */
final class RepoOrder {

    private RepoOrder() {
    }

    /** Throws {@link IllegalArgumentException} naming the repositories when the lists are unknown, self or a cycle. */
    static void check(Map<String, ManifestProperties.Repo> repos) {
        repos.forEach((name, repo) -> {
            for (String after : repo.activateAfter()) {
                if (after.equals(name)) {
                    throw new IllegalArgumentException(key(name) + " lists " + name + " itself; a repository cannot"
                            + " wait for its own activation");
                }
                if (!repos.containsKey(after)) {
                    throw new IllegalArgumentException(key(name) + " lists " + after + ", which is not a configured"
                            + " repository (configured: " + String.join(", ", repos.keySet()) + ")");
                }
            }
        });
        Set<String> done = new TreeSet<>();
        for (String name : repos.keySet()) {
            visit(name, repos, new ArrayList<>(), done);
        }
    }

    /** Depth first along the lists; {@code path} is the way here, a name already on it closes a cycle. */
    private static void visit(String name, Map<String, ManifestProperties.Repo> repos, List<String> path,
                              Set<String> done) {
        int seen = path.indexOf(name);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(name);
            throw new IllegalArgumentException("lockstep.manifest.repos.*.activate-after make a cycle: "
                    + String.join(" -> ", cycle) + " (each waits for the next); repositories "
                    + String.join(", ", new TreeSet<>(cycle)) + " could never activate");
        }
        if (done.contains(name)) {
            return;
        }
        path.add(name);
        for (String after : repos.get(name).activateAfter()) {
            visit(after, repos, path, done);
        }
        path.remove(path.size() - 1);
        done.add(name);
    }

    private static String key(String name) {
        return "lockstep.manifest.repos." + name + ".activate-after";
    }
}

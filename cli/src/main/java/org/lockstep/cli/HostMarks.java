package org.lockstep.cli;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.lockstep.cli.Views.Host;
import org.lockstep.cli.Views.HostPage;
import org.lockstep.cli.Views.Repo;
import org.lockstep.cli.Views.Rollout;

/**
 * The hosts' entries the CLI reads from {@code GET /api/v1/repos/{repo}/hosts}, never more than one page per look:
 * a fleet of up to {@value #PAGE} hosts is read whole (every host in {@code status}, who prepared and switched when
 * in a wait); a larger one is followed by its counts and the hosts the manifest says need a look.
 */
final class HostMarks {

    /** The most hosts read in one look (the endpoint's largest page). */
    static final int PAGE = 500;

    private HostMarks() {
    }

    /** Every host of {@code repo}, by name, when the fleet fits one page. */
    static Optional<List<Host>> every(ManifestClient client, Repo repo) {
        if (repo.hostTotal() > PAGE) {
            return Optional.empty();
        }
        return Optional.of(page(client, repo.name(), null));
    }

    /** The first {@value #PAGE} hosts of {@code repo} (by name) in {@code state} ({@code preparing}, ...). */
    static List<Host> inState(ManifestClient client, String repo, String state) {
        return page(client, repo, state);
    }

    /** {@code rollout} with who prepared and who switched it, and when, as {@code hosts}' entries say. */
    static Rollout marked(Rollout rollout, List<Host> hosts) {
        Map<String, Instant> prepared = new HashMap<>();
        Map<String, Instant> switched = new HashMap<>();
        for (Host host : hosts) {
            if (host.prepared() != null && host.prepared().rollout() == rollout.id()) {
                prepared.put(host.host(), host.prepared().at());
            }
            if (host.switched() != null && host.switched().rollout() == rollout.id()) {
                switched.put(host.host(), host.switched().at());
            }
        }
        return rollout.withMarks(prepared, switched);
    }

    private static List<Host> page(ManifestClient client, String repo, String state) {
        String path = RolloutCommand.repoPath(repo) + "/hosts?size=" + PAGE + (state == null ? "" : "&state=" + state);
        return client.get(path, HostPage.class).items();
    }
}

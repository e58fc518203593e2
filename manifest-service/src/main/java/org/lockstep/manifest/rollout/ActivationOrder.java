package org.lockstep.manifest.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.git.GitMirrors;
import org.lockstep.manifest.git.RemoteUnreachable;
import org.lockstep.manifest.rollout.machine.Command;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Requirement;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.store.ManifestStore;
import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's side of {@code lockstep.manifest.repos.<name>.activate-after}: what a new rollout requires of the
 * repositories it is listed after, and how far each requirement is, read from the store and answered by git. The
 * machine holds the rule (no activation while a requirement is unmet); this class only looks, and
 * {@link RolloutService} turns what it finds into commands.
 */
final class ActivationOrder {

    private static final Logger log = LoggerFactory.getLogger(ActivationOrder.class);

    /** Ancestry answers kept; the pairs asked about are a handful per rollout, so this is only a bound. */
    private static final int KNOWN_PAIRS = 4096;

    private final ManifestProperties properties;

    private final ManifestStore store;

    private final GitMirrors mirrors;

    /** Repository -> the repositories listed after it (that wait for it). */
    private final Map<String, List<String>> dependents = new TreeMap<>();

    /** "repo commit ancestor" -> whether commit is ancestor or descends from it: final once git knows both. */
    private final Map<String, Boolean> contains = new ConcurrentHashMap<>();

    ActivationOrder(ManifestProperties properties, ManifestStore store, GitMirrors mirrors) {
        this.properties = properties;
        this.store = store;
        this.mirrors = mirrors;
        properties.repos().forEach((name, config) -> config.activateAfter()
                .forEach(after -> dependents.computeIfAbsent(after, a -> new ArrayList<>()).add(name)));
    }

    /** The repositories that wait for {@code repo}'s commits. */
    List<String> dependents(String repo) {
        return dependents.getOrDefault(repo, List.of());
    }

    /**
     * What a rollout of {@code repo} created now requires: for each repository it is listed after, that one's target
     * if it has a pending rollout, else its active commit (none when it has neither); those already served
     * everywhere stamped met {@code now}.
     */
    List<Requirement> requiredNow(String repo, Instant now) {
        List<Requirement> required = new ArrayList<>();
        for (String after : properties.repos().get(repo).activateAfter()) {
            RepoState state = store.repo(after).orElseGet(() -> RepoState.empty(after));
            Requirement.of(state).map(r -> progress(r).met() ? new Requirement(r.repo(), r.commit(), now) : r)
                    .ifPresent(required::add);
        }
        return required;
    }

    /**
     * The commands that record met the requirements of {@code state}'s pending rollout whose commit every expected
     * host of its repository serves now (or a descendant); none when nothing waits or nothing is met yet.
     */
    List<Command.MeetRequirement> metNow(RepoState state) {
        Rollout pending = state.pending();
        List<Command.MeetRequirement> met = new ArrayList<>();
        if (pending == null) {
            return met;
        }
        for (Requirement requirement : pending.unmetRequirements()) {
            RequirementProgress progress = progress(requirement);
            if (progress.met()) {
                met.add(new Command.MeetRequirement(pending.id(), requirement.repo(), requirement.commit(),
                        progress.hostsServing()));
            }
        }
        return met;
    }

    /** Whether the repository's pending rollout waits for another repository. */
    static boolean waits(RepoState state) {
        return state.pending() != null && !state.pending().unmetRequirements().isEmpty();
    }

    /** How many expected hosts of the required repository serve the commit (or a descendant), as stored now. */
    RequirementProgress progress(Requirement requirement) {
        String repo = requirement.repo();
        RepoState state = store.repo(repo).orElseGet(() -> RepoState.empty(repo));
        int serving = requirement.hostsServing(state.tally(), served -> contains(repo, served, requirement.commit()));
        return new RequirementProgress(repo, requirement.commit(), serving, store.expectedHosts(repo).size());
    }

    private boolean contains(String repo, String commit, String ancestor) {
        String key = repo + " " + commit + " " + ancestor;
        Boolean known = contains.get(key);
        if (known != null) {
            return known;
        }
        Optional<Boolean> answer;
        try {
            answer = mirrors.mirror(repo).contains(commit, ancestor);
        }
        catch (RemoteUnreachable ex) {
            log.warn("event=ancestry-unknown repo={} commit={} ancestor={} cause={}", repo, commit, ancestor,
                    LogText.quoted(ex.getMessage()));
            return false;
        }
        answer.ifPresent(a -> {
            if (contains.size() >= KNOWN_PAIRS) {
                contains.clear();
            }
            contains.put(key, a);
        });
        // A commit the mirror does not have is not counted: the requirement can only wait longer, never be met early.
        return answer.orElse(false);
    }
}

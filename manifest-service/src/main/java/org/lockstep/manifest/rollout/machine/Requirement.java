package org.lockstep.manifest.rollout.machine;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One commit of another repository that a rollout waits for before it may activate ({@code activate-after},
 * docs/configuration.md): once every expected host of {@code repo} serves {@code commit} or a descendant of it, the
 * requirement is met, and it stays met for that rollout whatever the other repository does afterwards.
 * <p>
 * The rule's pure parts live here, so the machine's tests can use them without the service: which commit a new
 * rollout requires ({@link #of}), and how many hosts serve it ({@link #hostsServing}). Whether one commit descends from
 * another is a git question the caller answers.
 *
 * @param repo   the repository listed in {@code activate-after}
 * @param commit the commit required: that repository's target when the rollout was created, if it had a pending
 *               rollout, else its active commit
 * @param metAt  when the manifest recorded the requirement met (the manifest's clock), or {@code null} while unmet
 */
public record Requirement(String repo, String commit, Instant metAt) {

    /** An unmet requirement. */
    public static Requirement unmet(String repo, String commit) {
        return new Requirement(repo, commit, null);
    }

    /**
     * What a rollout created now requires of the repository whose summary is {@code required}: its target if it has
     * a pending rollout, else its active commit; nothing when it has neither (there is nothing to wait for).
     */
    public static Optional<Requirement> of(RepoState required) {
        return required.target().or(() -> Optional.ofNullable(required.active()))
                .map(commit -> unmet(required.name(), commit));
    }

    /** Whether the manifest recorded it met. */
    public boolean satisfied() {
        return metAt != null;
    }

    /** Whether this is the requirement of {@code commit} of {@code repo}. */
    public boolean concerns(String otherRepo, String otherCommit) {
        return repo.equals(otherRepo) && commit.equals(otherCommit);
    }

    /**
     * How many of the required repository's expected hosts serve {@code commit} or a descendant of it, by its tally
     * (each host serves one commit, so the counts of distinct commits add up to distinct hosts).
     *
     * @param contains whether a commit some hosts serve is {@code commit} or descends from it
     */
    public int hostsServing(HostTally tally, Predicate<String> contains) {
        int serving = 0;
        for (Map.Entry<String, Integer> served : tally.serving().entrySet()) {
            if (served.getKey().equals(commit) || contains.test(served.getKey())) {
                serving += served.getValue();
            }
        }
        return serving;
    }

    Requirement metAt(Instant at) {
        return new Requirement(repo, commit, at);
    }

    /** "primary 1a2b3c4...": how the audit history names it (the full id, so it can be looked up). */
    String text() {
        return repo + " " + commit;
    }
}

package org.lockstep.manifest.rollout.machine;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How many expected hosts' latest reports have each commit prepared and serve it: the counts activation and
 * completion are decided on, kept in the repository's summary. A report moves them by the difference between the
 * host's previous status and its new one, so deciding "every expected host has it prepared" costs the same with
 * 4 hosts or 10,000; only a change of the expected hosts counts again, from every host's entry. The maps hold the
 * commits hosts have on disk now, a handful in a healthy fleet.
 *
 * @param prepared commit -> expected hosts whose latest report has it prepared ({@code next} or {@code current})
 * @param serving  commit -> expected hosts whose latest report serves it ({@code current})
 */
public record HostTally(Map<String, Integer> prepared, Map<String, Integer> serving) {

    public static final HostTally NONE = new HostTally(Map.of(), Map.of());

    public HostTally {
        prepared = frozen(prepared);
        serving = frozen(serving);
    }

    /** The tally of {@code statuses}, one per expected host that reported. */
    public static HostTally of(Collection<HostStatus> statuses) {
        HostTally tally = NONE;
        for (HostStatus status : statuses) {
            tally = tally.replace(null, status);
        }
        return tally;
    }

    /** Expected hosts whose latest report has {@code commit} prepared. */
    public int prepared(String commit) {
        return commit == null ? 0 : prepared.getOrDefault(commit, 0);
    }

    /** Expected hosts whose latest report serves {@code commit}. */
    public int serving(String commit) {
        return commit == null ? 0 : serving.getOrDefault(commit, 0);
    }

    /** The tally once one host's latest status is {@code after} instead of {@code before} (either may be null). */
    HostTally replace(HostStatus before, HostStatus after) {
        SortedMap<String, Integer> nextPrepared = new TreeMap<>(prepared);
        SortedMap<String, Integer> nextServing = new TreeMap<>(serving);
        if (before != null) {
            preparedCommits(before).forEach(c -> add(nextPrepared, c, -1));
            add(nextServing, before.current(), -1);
        }
        if (after != null) {
            preparedCommits(after).forEach(c -> add(nextPrepared, c, 1));
            add(nextServing, after.current(), 1);
        }
        return new HostTally(nextPrepared, nextServing);
    }

    private static Set<String> preparedCommits(HostStatus status) {
        Set<String> commits = new LinkedHashSet<>();
        if (status.next() != null) {
            commits.add(status.next());
        }
        if (status.current() != null) {
            commits.add(status.current());
        }
        return commits;
    }

    private static void add(SortedMap<String, Integer> counts, String commit, int delta) {
        if (commit != null) {
            counts.merge(commit, delta, (a, b) -> a + b == 0 ? null : a + b);
        }
    }

    private static Map<String, Integer> frozen(Map<String, Integer> counts) {
        return counts == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(counts));
    }
}

package org.lockstep.manifest.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.rollout.HostClassifier;
import org.lockstep.manifest.rollout.HostSightings;
import org.lockstep.manifest.rollout.HostState;
import org.lockstep.manifest.rollout.RequirementProgress;
import org.lockstep.manifest.rollout.RolloutService;
import org.lockstep.manifest.rollout.machine.HostEntry;
import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.springframework.stereotype.Component;

/**
 * Builds the read models of the API (and of the operator page) from the stored state. What they send is bounded
 * whatever the fleet's size: counts, capped lists of names, pages of hosts. Each read scans the repository's host
 * entries once, in memory.
 */
@Component
public class StatusViews {

    static final int RECENT = 5;

    /** Names a rollout view lists of the hosts it waits for; the count says how many there are in all. */
    static final int WAITING_NAMES = 20;

    /** Hosts a repository view lists of those that need a look; the count says how many there are in all. */
    static final int ATTENTION = 50;

    /**
     * Up to this many expected hosts, the repository view also lists every host (and their names), as it did before
     * it was bounded; a larger fleet's hosts are only paged.
     */
    static final int INLINE_HOSTS = 100;

    private static final List<HostState> ATTENTION_ORDER = List.of(HostState.FAILING, HostState.LAGGING,
            HostState.UNSEEN);

    private final RolloutService rollouts;

    private final ManifestProperties properties;

    private final HostSightings sightings;

    private final HostClassifier classifier;

    public StatusViews(RolloutService rollouts, ManifestProperties properties, HostSightings sightings,
                       HostClassifier classifier) {
        this.rollouts = rollouts;
        this.properties = properties;
        this.sightings = sightings;
        this.classifier = classifier;
    }

    public List<RepoStatus> all() {
        return properties.repos().keySet().stream().map(this::repo).toList();
    }

    public RepoStatus repo(String name) {
        Fleet fleet = fleet(name);
        ManifestProperties.Repo config = properties.repos().get(name);
        RepoState state = fleet.state();
        Map<String, Integer> byState = new LinkedHashMap<>();
        for (HostState s : HostState.values()) {
            byState.put(s.label(), 0);
        }
        fleet.hosts().forEach(h -> byState.merge(HostState.first(h.states()).label(), 1, Integer::sum));
        List<Classified> attention = fleet.hosts().stream().filter(h -> attentionRank(h) < ATTENTION_ORDER.size())
                .sorted(Comparator.comparingInt(StatusViews::attentionRank).thenComparing(Classified::host))
                .toList();
        List<RolloutView> recent = rollouts.rollouts(name, 0, RECENT).stream().map(fleet::view).toList();
        boolean inline = fleet.hosts().size() <= INLINE_HOSTS;
        return new RepoStatus(name, config.url(), config.branch(), state.active(), state.target().orElse(null),
                state.paused(), state.revision(), fleet.hosts().size(), state.tally().serving(state.active()),
                byState, attention.stream().limit(ATTENTION).map(this::view).toList(), attention.size(),
                state.latestRollout().map(fleet::view).orElse(null), recent,
                inline ? fleet.hosts().stream().map(Classified::host).toList() : null,
                inline ? fleet.hosts().stream().map(this::view).toList() : null);
    }

    /** Expected hosts of {@code name} in {@code state} (every host when empty), by name, one page of them. */
    public PageOf<RepoStatus.HostView> hosts(String name, Optional<HostState> state, int page, int size) {
        List<Classified> matching = fleet(name).hosts().stream()
                .filter(h -> state.map(h.states()::contains).orElse(true)).toList();
        long offset = (long) page * size;
        List<RepoStatus.HostView> items = offset >= matching.size() ? List.of()
                : matching.subList((int) offset, (int) Math.min(matching.size(), offset + size)).stream()
                        .map(this::view).toList();
        return new PageOf<>(items, page, size, matching.size());
    }

    public PageOf<RolloutView> rollouts(String name, int page, int size) {
        Fleet fleet = fleet(name);
        long total = rollouts.rolloutCount(name);
        long offset = (long) page * size; // in int, page 2147483647 of 100 wrapped round to the first page
        List<RolloutView> items = offset >= total ? List.of() : rollouts.rollouts(name, (int) offset, size).stream()
                .map(fleet::view).toList();
        return new PageOf<>(items, page, size, total);
    }

    /** One rollout as the API shows it. */
    public RolloutView rollout(Rollout rollout) {
        return fleet(rollout.repo()).view(rollout);
    }

    private Fleet fleet(String name) {
        RepoState state = rollouts.state(name);
        Map<String, HostEntry> entries = new HashMap<>();
        rollouts.hosts(name).forEach(entry -> entries.put(entry.host(), entry));
        Instant now = classifier.now();
        List<Classified> hosts = new ArrayList<>();
        for (String host : rollouts.expectedHosts(name)) {
            HostEntry entry = entries.get(host);
            hosts.add(new Classified(host, entry, classifier.states(state, host, entry == null ? null
                    : entry.status(), now), state));
        }
        hosts.sort(Comparator.comparing(Classified::host));
        return new Fleet(state, hosts, properties.repos().get(name).prepareDeadline(), now, rollouts::waitsFor);
    }

    private static int attentionRank(Classified host) {
        for (int i = 0; i < ATTENTION_ORDER.size(); i++) {
            if (host.states().contains(ATTENTION_ORDER.get(i))) {
                return i;
            }
        }
        return ATTENTION_ORDER.size();
    }

    private RepoStatus.HostView view(Classified host) {
        String first = HostState.first(host.states()).label();
        List<String> states = host.states().stream().map(HostState::label).toList();
        Instant lastSeen = sightings.lastSeen(host.host()).orElse(null);
        RepoState state = host.repo();
        if (host.entry() == null) {
            return new RepoStatus.HostView(host.host(), first, states, null, null, null, null, null, false, null, null,
                    null, lastSeen, state.active() != null, null, null);
        }
        HostStatus status = host.entry().status();
        return new RepoStatus.HostView(host.host(), first, states, status.current(), status.next(),
                status.preparing(), status.error(), status.errorCommit(), status.permanent(), status.errorSince(),
                status.switchedAt(), status.sentAt(), lastSeen, state.active() != null
                && !status.serves(state.active()), host.entry().prepared(), host.entry().switched());
    }

    /** One expected host with its entry (null: never reported) and the states it is in. */
    private record Classified(String host, HostEntry entry, EnumSet<HostState> states, RepoState repo) {
    }

    /** One repository as read for one view: its summary and its expected hosts, by name, at {@code now}. */
    private record Fleet(RepoState state, List<Classified> hosts, Duration prepareDeadline, Instant now,
                         Function<Rollout, List<RequirementProgress>> waitsFor) {

        RolloutView view(Rollout rollout) {
            Map<String, HostStatus> statuses = new HashMap<>();
            hosts.forEach(h -> statuses.put(h.host(), h.entry() == null ? null : h.entry().status()));
            return RolloutView.of(rollout, state, hosts.size(), RolloutView.Waiting.of(rollout,
                    hosts.stream().map(Classified::host).toList(), statuses::get, WAITING_NAMES), prepareDeadline,
                    now, waitsFor.apply(rollout));
        }
    }
}

package org.lockstep.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lockstep.cli.Views.Blocked;
import org.lockstep.cli.Views.Event;
import org.lockstep.cli.Views.Host;
import org.lockstep.cli.Views.Repo;
import org.lockstep.cli.Views.Rollout;
import org.lockstep.cli.Views.State;
import org.lockstep.cli.Views.WaitsFor;

/** Rollout views as the manifest answers them, built step by step the way a rollout unfolds. */
final class RolloutBuilder {

    static final String COMMIT = "1f2f466f0a1b2c3d4e5f60718293a4b5c6d7e8f9";

    static final Instant T0 = Instant.parse("2026-11-26T12:46:43Z");

    private final long id;

    private final List<String> hosts;

    private State state = State.PREPARING;

    private final Map<String, Instant> prepared = new LinkedHashMap<>();

    private final Map<String, Instant> switched = new LinkedHashMap<>();

    private final List<Event> events = new ArrayList<>();

    private final List<Blocked> blocked = new ArrayList<>();

    private boolean paused;

    private final List<WaitsFor> waitsFor = new ArrayList<>();

    RolloutBuilder(long id, String... hosts) {
        this.id = id;
        this.hosts = List.of(hosts);
        events.add(new Event(T0, "CREATED", State.PREPARING, "gitlab-ci", "pipeline 4711"));
    }

    RolloutBuilder prepared(String host, int second) {
        prepared.put(host, T0.plusSeconds(second));
        return this;
    }

    RolloutBuilder activated(int second) {
        state = State.ACTIVATING;
        events.add(new Event(T0.plusSeconds(second), "ACTIVATING", State.ACTIVATING, "system", null));
        return this;
    }

    RolloutBuilder switched(String host, int second) {
        switched.put(host, T0.plusSeconds(second));
        return this;
    }

    RolloutBuilder completed(int second) {
        state = State.COMPLETE;
        events.add(new Event(T0.plusSeconds(second), "COMPLETE", State.COMPLETE, "system", null));
        return this;
    }

    RolloutBuilder ended(State end, String actor, String reason, int second) {
        state = end;
        events.add(new Event(T0.plusSeconds(second), end.name(), end, actor, reason));
        return this;
    }

    RolloutBuilder noted(String action, String actor, String reason, int second) {
        events.add(new Event(T0.plusSeconds(second), action, state, actor, reason));
        paused = action.equals("PAUSED") || !action.equals("RESUMED") && paused;
        return this;
    }

    RolloutBuilder blocked(String host, String error, boolean permanent, int second) {
        blocked.removeIf(b -> b.host().equals(host));
        blocked.add(new Blocked(host, COMMIT, error, permanent, T0.plusSeconds(second)));
        return this;
    }

    /** It waits for {@code commit} of {@code repo}, served by {@code serving} of its {@code expected} hosts. */
    RolloutBuilder waitsFor(String repo, String commit, int serving, int expected) {
        waitsFor.add(new WaitsFor(repo, commit, serving, expected));
        return this;
    }

    RolloutBuilder cleared(String host) {
        blocked.removeIf(b -> b.host().equals(host));
        return this;
    }

    Rollout build() {
        List<String> waiting = hosts.stream().filter(h -> state == State.PREPARING ? !prepared.containsKey(h)
                : state == State.ACTIVATING && !switched.containsKey(h)).toList();
        return new Rollout(id, "primary", COMMIT, null, false, state, "gitlab-ci", "pipeline 4711", T0,
                Map.copyOf(prepared), Map.copyOf(switched), List.copyOf(events), hosts.size(), prepared.size(),
                switched.size(), waiting, waiting.size(), List.copyOf(blocked), blocked.size(), null, false, null,
                null, List.copyOf(waitsFor));
    }

    /** The repository around the rollout: each host last seen at {@code seenSecond}. */
    Repo repo(int seenSecond, Rollout... recent) {
        List<Host> hostViews = hosts.stream().map(h -> new Host(h, "lagging", null,
                prepared.containsKey(h) ? COMMIT : null, null, null, null, false, null, null, null,
                T0.plusSeconds(seenSecond), true, null, null)).toList();
        return new Repo("primary", "main", null, state == State.PREPARING ? COMMIT : null, paused, hosts.size(), 0,
                Map.of("lagging", hosts.size()), List.of(), 0, build(), hostViews, List.of(recent));
    }
}

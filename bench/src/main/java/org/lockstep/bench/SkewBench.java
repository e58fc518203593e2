package org.lockstep.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lockstep.testing.Dirs;
import org.lockstep.testing.IsolatedGit;
import org.lockstep.testing.agent.AgentProcess;
import org.lockstep.testing.fleet.Fleet;
import org.lockstep.testing.manifest.Tokens;
import tools.jackson.databind.JsonNode;

/**
 * {@code scripts/bench skew} (issue 11): how far apart 4 real agents on loopback swap {@code current} when the
 * manifest activates a rollout. The fleet of the system tests (real manifest jar, 4 agent jars, git daemon); the swaps
 * are seen from outside the agents, by inotify on the 4 {@code current} links ({@link LinkWatch}). For each rollout:
 * first to last swap, activation (the manifest's {@code ACTIVATING} entry) to first and to last swap, which host
 * swapped last and which host's report completed the preparation (the last one in the rollout's {@code prepared}).
 *
 * <p>Arguments: {@code --rollouts N} (default 40), {@code --pause MS} between rollouts (default 1500, so the
 * heartbeats fall at different moments of each rollout), {@code --keep} (keep the fleet's directory and logs).
 */
public final class SkewBench {

    private static final Duration WAIT = Duration.ofMinutes(2);

    private SkewBench() {
    }

    public static void main(String[] args) throws Exception {
        int rollouts = 40;
        long pause = 1500;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rollouts" -> rollouts = Integer.parseInt(args[++i]);
                case "--pause" -> pause = Long.parseLong(args[++i]);
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: scripts/bench skew [--rollouts N] [--pause MS] [--keep]");
            }
        }
        IsolatedGit.install();
        System.out.println("# Lockstep benchmark: switch skew of 4 agents on loopback (issue 11)");
        System.out.println("date:    " + Instant.now());
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, load " + Figures.load()
                + " at start");
        List<Double> skew = new ArrayList<>();
        List<Double> toFirst = new ArrayList<>();
        List<Double> toLast = new ArrayList<>();
        int lastWasCompleter = 0;
        Map<String, Integer> lastHosts = new LinkedHashMap<>();
        Fleet fleet = new Fleet();
        try {
            // The first deployment waits for 4 agent JVMs to start: generous, a busy machine starts them slowly.
            fleet.start();
            String initial = fleet.schemas().addVersion("skew-event", "1.0.0");
            fleet.api().setTarget(Tokens.CI, Fleet.REPO, initial, "skew bench").expect(202);
            fleet.awaitEveryHostServes(initial, Duration.ofMinutes(5));
            Map<String, java.nio.file.Path> dirs = new LinkedHashMap<>();
            fleet.agents().forEach((host, agent) -> dirs.put(host, agent.repoDir()));
            List<String> hosts = List.copyOf(fleet.agents().keySet());
            try (LinkWatch watch = new LinkWatch(dirs)) {
                for (int r = 1; r <= rollouts; r++) {
                    String commit = fleet.schemas().addVersion("skew-event", "1." + r + ".0");
                    fleet.api().setTarget(Tokens.CI, Fleet.REPO, commit, "skew bench").expect(202);
                    Map<String, LinkWatch.Swap> swaps = watch.await(commit, hosts, WAIT);
                    fleet.api().awaitComplete(Fleet.REPO, commit, WAIT);
                    JsonNode rollout = rollout(fleet, commit);
                    Instant activated = activatedAt(rollout);
                    String completer = completer(fleet, rollout.path("id").asLong());
                    List<LinkWatch.Swap> ordered = swaps.values().stream()
                            .sorted(Comparator.comparing(LinkWatch.Swap::at)).toList();
                    LinkWatch.Swap first = ordered.get(0);
                    LinkWatch.Swap last = ordered.get(ordered.size() - 1);
                    skew.add(Figures.millis(first.at(), last.at()));
                    toFirst.add(Figures.millis(activated, first.at()));
                    toLast.add(Figures.millis(activated, last.at()));
                    lastHosts.merge(last.host(), 1, Integer::sum);
                    if (last.host().equals(completer)) {
                        lastWasCompleter++;
                    }
                    System.out.printf("rollout %2d: first->last %6.1f ms, activation->first %6.1f ms, ->last %6.1f"
                            + " ms; last %s, completed by %s; load %s%n", r, skew.get(r - 1), toFirst.get(r - 1),
                            toLast.get(r - 1), last.host(), completer, Figures.load());
                    Thread.sleep(pause);
                }
            }
            System.out.println();
            System.out.println("load:    " + Figures.load() + " at end");
            System.out.println("agents:  " + String.join(" ", AgentProcess.JVM_FLAGS));
        }
        finally {
            fleet.close();
            if (!keep) {
                Dirs.delete(fleet.root());
            }
        }
        System.out.println();
        System.out.println("| " + skew.size() + " rollouts, 4 agents | median / p90 / p99 / max (ms) |");
        System.out.println("|---|---:|");
        System.out.println("| first -> last `current` swap | " + Figures.summary(skew) + " |");
        System.out.println("| activation -> first swap | " + Figures.summary(toFirst) + " |");
        System.out.println("| activation -> last swap | " + Figures.summary(toLast) + " |");
        System.out.printf("%nthe host whose report completed the preparation swapped last in %d of %d rollouts;"
                + " last by host: %s%n", lastWasCompleter, skew.size(), lastHosts);
    }

    private static JsonNode rollout(Fleet fleet, String commit) {
        for (JsonNode rollout : fleet.api().rollouts(Fleet.REPO).path("items")) {
            if (commit.equals(rollout.path("commit").asString())) {
                return rollout;
            }
        }
        throw new IllegalStateException("no rollout of " + commit);
    }

    private static Instant activatedAt(JsonNode rollout) {
        for (JsonNode event : rollout.path("events")) {
            if ("ACTIVATING".equals(event.path("state").asString())) {
                return Instant.parse(event.path("at").asString());
            }
        }
        throw new IllegalStateException("rollout never activated: " + rollout);
    }

    /**
     * The host the manifest saw prepared last for rollout {@code id} (each host's {@code prepared} under
     * {@code GET .../hosts}): its report made the rollout activate.
     */
    private static String completer(Fleet fleet, long id) {
        String host = null;
        Instant latest = Instant.MIN;
        JsonNode page = fleet.api().get("/api/v1/repos/" + Fleet.REPO + "/hosts?size=500").expect(200).json();
        for (JsonNode item : page.path("items")) {
            JsonNode prepared = item.path("prepared");
            if (prepared.path("rollout").asLong() == id) {
                Instant at = Instant.parse(prepared.path("at").asString());
                if (at.isAfter(latest)) {
                    latest = at;
                    host = item.path("host").asString();
                }
            }
        }
        if (host == null) {
            throw new IllegalStateException("no host is recorded prepared for rollout " + id + ": " + page);
        }
        return host;
    }
}

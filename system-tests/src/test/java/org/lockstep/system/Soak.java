package org.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.awaitility.Awaitility;
import org.lockstep.system.FaultPlan.Fault;
import org.lockstep.testing.Dirs;
import org.lockstep.testing.Processes;
import org.lockstep.testing.Trees;
import org.lockstep.testing.agent.AgentProcess;
import org.lockstep.testing.fleet.Fleet;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.Tokens;

import tools.jackson.databind.JsonNode;

/**
 * The soak's steps: each makes a commit (a new schema version, or a hostile tree), targets it, injects its fault
 * while the fleet works, heals it, and waits until every host serves the new commit (or, for a hostile one, until
 * every host has refused it and still serves exactly what it served). It remembers what the invariants are checked
 * against afterwards: every commit in branch order and every rollout the manifest acknowledged.
 */
final class Soak {

    static final String SCHEMA = "soak";

    private static final Duration CONVERGE = Duration.ofSeconds(120);

    private final Fleet fleet;

    private final Random random;

    private final List<String> branchOrder = new ArrayList<>();

    private final Map<Long, String> acknowledged = new LinkedHashMap<>();

    private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);

    private final Map<Fault, Duration> time = new EnumMap<>(Fault.class);

    private String served;

    private int version;

    private int completed;

    Soak(Fleet fleet, String first, long seed) {
        this.fleet = fleet;
        this.random = new Random(seed);
        this.served = first;
        branchOrder.add(first);
    }

    /** One step of the plan; its time is added to its fault's. */
    void step(Fault fault) {
        long start = System.nanoTime();
        injected.merge(fault, 1, Integer::sum);
        if (fault == Fault.HOSTILE_COMMIT) {
            hostile();
        }
        else {
            good(fault);
        }
        time.merge(fault, Duration.ofNanos(System.nanoTime() - start), Duration::plus);
    }

    private void good(Fault fault) {
        String commit = fleet.schemas().addVersion(SCHEMA, "1.0." + ++version);
        branchOrder.add(commit);
        AgentProcess victim = randomAgent();
        switch (fault) {
            case NONE -> target(commit);
            case AGENT_KILL -> {
                target(commit);
                Processes.sleep(Duration.ofMillis(random.nextInt(400)));
                victim.kill();
                victim.start();
            }
            case AGENT_FREEZE -> {
                target(commit);
                Processes.sleep(Duration.ofMillis(random.nextInt(300)));
                victim.freeze();
                Processes.sleep(Duration.ofMillis(1000));
                victim.thaw();
            }
            case MANIFEST_KILL -> {
                target(commit);
                fleet.manifest().kill();
                fleet.manifest().start();
            }
            case MANIFEST_FREEZE -> {
                target(commit);
                fleet.manifest().process().pause();
                Processes.sleep(Duration.ofMillis(1000));
                fleet.manifest().process().resume();
            }
            case REMOTE_UNREACHABLE -> {
                target(commit);
                fleet.daemon().process().pause();
                Processes.sleep(Duration.ofMillis(1500));
                fleet.daemon().process().resume();
            }
            default -> throw new IllegalStateException("not a good step: " + fault);
        }
        fleet.awaitEveryHostServes(commit, CONVERGE);
        served = commit;
        completed++;
    }

    /**
     * A crafted tree merged and targeted: the manifest takes it (it is on the branch), every host refuses it with
     * an error for that commit, nothing activates, and every host still serves exactly the tree of the commit it
     * served before (compared file by file: a write through a hard link would change it with no link moving).
     */
    private void hostile() {
        String commit = fleet.schemas().work().commitTree("hostile #" + injected.get(Fault.HOSTILE_COMMIT),
                HostileTrees.pick(random, served));
        fleet.schemas().push();
        branchOrder.add(commit);
        target(commit);
        Awaitility.await("every host refuses " + commit).atMost(CONVERGE).pollInterval(Duration.ofMillis(200))
                .until(() -> everyHostRefused(commit));
        assertThat(fleet.rolloutState(commit)).as("a refused commit never activates").isEqualTo("PREPARING");
        Path reference = fleet.root().resolve("archive-" + served);
        if (!reference.toFile().exists()) {
            fleet.schemas().archive(served, reference);
        }
        for (AgentProcess agent : fleet.agents().values()) {
            assertThat(agent.current()).as("%s serves", agent.host()).contains(served);
            Trees.assertSameTree(reference, agent.repoDir().resolve("current"));
        }
        Dirs.delete(reference);
    }

    private boolean everyHostRefused(String commit) {
        JsonNode hosts = fleet.api().get("/api/v1/repos/" + Fleet.REPO + "/hosts?size=500").expect(200).json()
                .path("items");
        if (hosts.size() != Fleet.HOSTS.size()) {
            return false;
        }
        for (JsonNode host : hosts) {
            if (!commit.equals(host.path("errorCommit").asString()) || !host.path("error").isString()) {
                return false;
            }
        }
        return true;
    }

    /** Sets the target with the CI token, retrying while the manifest is down; remembers the acknowledged rollout. */
    private void target(String commit) {
        ManifestApi.Response answer = Awaitility.await("target " + commit + " acknowledged").atMost(CONVERGE)
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> fleet.api().setTarget(Tokens.CI, Fleet.REPO, commit, "soak"),
                        response -> response.status() == 202);
        acknowledged.put(answer.json().path("id").asLong(), commit);
    }

    private AgentProcess randomAgent() {
        List<AgentProcess> agents = new ArrayList<>(fleet.agents().values());
        return agents.get(random.nextInt(agents.size()));
    }

    List<String> branchOrder() {
        return List.copyOf(branchOrder);
    }

    /** Rollout id -> commit, for every target the manifest answered 202. */
    Map<Long, String> acknowledged() {
        return Map.copyOf(acknowledged);
    }

    Map<Fault, Integer> injected() {
        return Map.copyOf(injected);
    }

    /** Time spent in the steps of each fault, until every host served (or refused) their commit. */
    Map<Fault, Duration> time() {
        return Map.copyOf(time);
    }

    int completed() {
        return completed;
    }
}

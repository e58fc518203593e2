package org.lockstep.manifest.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.lockstep.manifest.rollout.machine.Command;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Requirement;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.RolloutAction;
import org.lockstep.manifest.rollout.machine.RolloutState;
import org.lockstep.manifest.rollout.machine.Transition;

/**
 * Two manifest instances (two store instances, each with its own etcd client and watch) on one etcd, as two
 * datacenters would run them: concurrent writes never lose one another, a race to activate has one winner, and a
 * change made through one instance reaches the other's waiting agents.
 */
class TwoManifestsIntegrationTests extends EtcdStoreScenario {

    private static final int WRITERS_PER_MANIFEST = 6;

    private static final int TARGETS_PER_WRITER = 15;

    @Test
    void racingUpdatesFromTwoManifestsLoseNothingAndCountEveryDesiredChangeOnce() throws Exception {
        List<EtcdManifestStore> manifests = List.of(open(), open());
        int writers = 2 * WRITERS_PER_MANIFEST;
        Set<String> hosts = IntStream.range(0, writers).mapToObj(w -> "h" + w).collect(Collectors.toSet());
        apply(manifests.get(0), "shared", hosts, new Command.ChangeHosts(hosts));
        long base = manifests.get(0).revision();
        CyclicBarrier start = new CyclicBarrier(writers);
        List<Long> rolloutIds = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                EtcdManifestStore manifest = manifests.get(w % 2);
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < TARGETS_PER_WRITER; i++) {
                        // Every writer sets its own targets (desired changes) and reports its own host (not one).
                        String commit = commit(writer * 1000 + i + 1);
                        rolloutIds.add(apply(manifest, "shared", hosts, target(commit)).result().id());
                        apply(manifest, "shared", hosts, preparing("h" + writer, commit));
                    }
                    return null;
                }));
            }
            for (Future<?> writer : done) {
                writer.get();
            }
        }
        finally {
            pool.shutdownNow();
        }

        int targets = writers * TARGETS_PER_WRITER;
        EtcdManifestStore reader = open();
        RepoState state = reader.repo("shared").orElseThrow();
        assertThat(reader.revision()).as("one revision per target, none twice, none skipped")
                .isEqualTo(base + targets);
        assertThat(rolloutIds).as("rollout ids are the revisions that created them")
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(base + 1, base + targets).boxed().toList());
        assertThat(reader.rolloutCount("shared")).isEqualTo(targets);
        assertThat(state.version()).as("every summary write (the hosts, each target), none lost")
                .isEqualTo(1L + targets);
        assertThat(reader.hosts("shared")).as("each writer's last report survived the others' writes")
                .hasSize(writers);
        for (int w = 0; w < writers; w++) {
            assertThat(reader.host("shared", "h" + w).orElseThrow().status().preparing())
                    .isEqualTo(commit(w * 1000 + TARGETS_PER_WRITER));
        }
    }

    @Test
    void changeThroughOneManifestFiresTheOthersListener() {
        EtcdManifestStore dc1 = open();
        EtcdManifestStore dc2 = open();
        List<Long> heardByDc2 = new CopyOnWriteArrayList<>();
        dc2.changes().subscribe(change -> {
            if (change.newRevision()) {
                heardByDc2.add(change.revision());
            }
        });

        apply(dc1, "primary", Set.of("h1"), target(commit(1)));
        apply(dc1, "primary", Set.of("h1"), preparing("h1", commit(1)));
        apply(dc1, "primary", Set.of("h1"), target(commit(2)));

        await().atMost(Duration.ofSeconds(5)).until(() -> heardByDc2.contains(3L));
        assertThat(heardByDc2).as("the hosts set, then two targets").containsExactly(1L, 2L, 3L);
        assertThat(dc2.repo("primary").flatMap(RepoState::target)).contains(commit(2));
    }

    @Test
    void racingActivationsWriteExactlyOneActivatingTransition() throws Exception {
        EtcdManifestStore dc1 = open();
        EtcdManifestStore dc2 = open();
        Set<String> hosts = Set.of("h1", "h2");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= 10; round++) {
                String repo = "race-" + round;
                String commit = commit(round);
                long id = apply(dc1, repo, hosts, target(commit)).result().id();
                apply(dc2, repo, hosts, prepared("h1", commit));
                long revisionBefore = dc1.revision();

                // Both instances apply the same last "prepared" report at once, as when an agent's report is
                // retried against the other datacenter.
                List<Transition> outcomes = atOnce(pool, dc1, dc2, repo, hosts, prepared("h2", commit));

                Rollout rollout = dc1.rollout(id).orElseThrow();
                assertThat(rollout.state()).isEqualTo(RolloutState.ACTIVATING);
                assertThat(rollout.events()).filteredOn(e -> e.action() == RolloutAction.ACTIVATING).hasSize(1);
                assertThat(outcomes).extracting(Transition::desiredChanged).as("one winner")
                        .containsExactlyInAnyOrder(true, false);
                assertThat(dc2.revision()).isEqualTo(revisionBefore + 1);
                assertThat(dc2.repo(repo).orElseThrow().active()).isEqualTo(commit);
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    /**
     * {@code activate-after}: both instances find the same requirement met (each saw the last {@code primary} host's
     * report, or one at start-up) and issue the command at once. One write records it and activates; the other
     * changes nothing.
     */
    @Test
    void racingRequirementsMetWriteOneEventAndOneActivation() throws Exception {
        EtcdManifestStore dc1 = open();
        EtcdManifestStore dc2 = open();
        Set<String> hosts = Set.of("h1", "h2");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= 5; round++) {
                String repo = "waiting-" + round;
                String commit = commit(100 + round);
                String required = commit(round);
                long id = apply(dc1, repo, hosts, new Command.SetTarget(commit, Command.Ancestry.NO_ACTIVE, false,
                        "ci", "needs primary", List.of(Requirement.unmet("primary", required)))).result().id();
                apply(dc1, repo, hosts, prepared("h1", commit));
                apply(dc2, repo, hosts, prepared("h2", commit));
                assertThat(dc1.repo(repo).orElseThrow().active()).as("waits for primary").isNull();
                long revisionBefore = dc1.revision();

                Command met = new Command.MeetRequirement(id, "primary", required, 2);
                List<Transition> outcomes = atOnce(pool, dc1, dc2, repo, hosts, met);

                Rollout rollout = dc2.rollout(id).orElseThrow();
                assertThat(rollout.state()).isEqualTo(RolloutState.ACTIVATING);
                assertThat(rollout.events()).filteredOn(e -> e.action() == RolloutAction.REQUIREMENT_MET).hasSize(1);
                assertThat(rollout.events()).filteredOn(e -> e.action() == RolloutAction.ACTIVATING).hasSize(1);
                assertThat(outcomes).extracting(Transition::changed).as("one write").containsExactlyInAnyOrder(true,
                        false);
                assertThat(dc1.revision()).isEqualTo(revisionBefore + 1);
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    /** {@code command} applied by both instances at the same moment, on two threads of {@code pool}. */
    private List<Transition> atOnce(ExecutorService pool, EtcdManifestStore dc1, EtcdManifestStore dc2, String repo,
                                    Set<String> hosts, Command command) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        Future<Transition> one = pool.submit(() -> {
            start.await();
            return apply(dc1, repo, hosts, command);
        });
        Future<Transition> two = pool.submit(() -> {
            start.await();
            return apply(dc2, repo, hosts, command);
        });
        return List.of(one.get(), two.get());
    }
}

package org.lockstep.manifest.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.lockstep.manifest.rollout.machine.Command;
import org.lockstep.manifest.rollout.machine.Command.Ancestry;
import org.lockstep.manifest.rollout.machine.HostEntry;
import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Requirement;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.RolloutAction;
import org.lockstep.manifest.rollout.machine.RolloutEvent;
import org.lockstep.manifest.rollout.machine.RolloutMachine;
import org.lockstep.manifest.rollout.machine.RolloutRejected;
import org.lockstep.manifest.rollout.machine.RolloutState;
import org.lockstep.manifest.rollout.machine.Transition;

/**
 * What every {@link ManifestStore} must do, driven by the real rollout machine: one contract, so a behaviour added
 * for one store is checked on all of them, including the layout that keeps a report's cost constant (per-host
 * entries apart from the summary, nothing written for a heartbeat). A subclass supplies the store (on real storage)
 * through the hooks and closes whatever it opened after each test; it adds only what is specific to its store.
 */
public abstract class ManifestStoreContractTests {

    protected static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private final RolloutMachine machine = new RolloutMachine();

    /** The store the helpers ({@link #apply}) write to. */
    protected ManifestStore store;

    /** A store on this test's data (another instance on it if one is open already). */
    protected abstract ManifestStore open();

    /** Closes {@code old}, as a stopped manifest would, and opens the store again on the same data. */
    protected abstract ManifestStore reopen(ManifestStore old);

    /** A new, empty store that shares nothing with this test's data. */
    protected abstract ManifestStore openFresh();

    /**
     * Everything durable about this test's data, in a form that differs after any write at all (the file's bytes;
     * etcd's revision).
     */
    protected abstract Object durableState();

    @Test
    void reopeningKeepsStateHistoryRevisionAndStoreId() {
        store = open();
        String storeId = store.storeId();
        Rollout rollout = apply("primary", target(commit(1))).result();
        apply("primary", report("h1", commit(1)));
        RepoState before = store.repo("primary").orElseThrow();
        long revision = store.revision();

        store = reopen(store);

        assertThat(store.storeId()).isEqualTo(storeId).hasSize(36);
        assertThat(store.revision()).isEqualTo(revision);
        assertThat(store.repo("primary")).contains(before);
        assertThat(store.rollout(rollout.id())).isPresent();
        assertThat(store.rollout(rollout.id()).orElseThrow().state()).isEqualTo(RolloutState.COMPLETE);
        assertThat(store.rollouts("primary", 0, 10)).extracting(Rollout::id).containsExactly(rollout.id());
        assertThat(before.active()).isEqualTo(commit(1));
        assertThat(store.expectedHosts("primary")).containsExactly("h1");
        assertThat(store.host("primary", "h1").orElseThrow().status().current()).isEqualTo(commit(1));
        assertThat(store.hosts("primary")).extracting(HostEntry::host).containsExactly("h1");
    }

    @Test
    void newStoreStartsAtRevisionZeroWithAFreshId() {
        store = open();
        apply("primary", target(commit(1)));

        ManifestStore fresh = openFresh();

        assertThat(fresh.revision()).isZero();
        assertThat(fresh.storeId()).isNotEqualTo(store.storeId()).hasSize(36);
        assertThat(fresh.repo("primary")).isEmpty();
    }

    @Test
    void revisionAdvancesOnlyWhenTheDesiredStateChanges() {
        store = open();
        assertThat(store.revision()).isZero();
        Transition hosts = changeHosts("primary", Set.of("h1"));
        assertThat(hosts.desiredChanged()).as("hosts set at start-up").isTrue();
        assertThat(store.revision()).isEqualTo(1);

        apply("primary", target(commit(1)));
        assertThat(store.revision()).isEqualTo(2);

        Transition preparing = apply("primary", preparing("h1", commit(1)));
        assertThat(preparing.changed()).isTrue();
        assertThat(store.revision()).as("a report that changes no desired state").isEqualTo(2);

        apply("primary", new Command.Pause("alice", "freeze"));
        assertThat(store.revision()).as("pause changes nothing agents must do").isEqualTo(2);

        apply("primary", new Command.Resume("alice", null));
        apply("primary", report("h1", commit(1)));
        assertThat(store.revision()).as("activation").isEqualTo(3);

        Transition same = apply("primary", report("h1", commit(1)));
        assertThat(same.changed()).isFalse();
        assertThat(store.revision()).isEqualTo(3);
        assertThat(store.repo("primary").orElseThrow().revision()).isEqualTo(3);
    }

    @Test
    void unchangedTransitionWritesNothing() {
        store = open();
        apply("primary", target(commit(1)));
        long version = store.repo("primary").orElseThrow().version();

        Transition again = apply("primary", target(commit(1)));

        assertThat(again.changed()).isFalse();
        assertThat(store.repo("primary").orElseThrow().version()).isEqualTo(version);
        assertThat(store.rolloutCount("primary")).isEqualTo(1);
    }

    @Test
    void rejectedCommandChangesNothing() {
        store = open();
        RepoState before = apply("primary", target(commit(1))).state();

        assertThatThrownBy(() -> apply("primary", new Command.SetTarget(commit(2), Ancestry.NOT_DESCENDANT, false,
                "ci", null))).isInstanceOf(RolloutRejected.class);

        assertThat(store.repo("primary")).contains(before);
        assertThat(store.revision()).isEqualTo(2);
        store = reopen(store);
        assertThat(store.repo("primary")).contains(before);
        assertThat(store.revision()).isEqualTo(2);
    }

    @Test
    void rolloutsPageNewestFirstPerRepositoryWhenNamesSharePrefixes() {
        store = open();
        List<Long> a = new ArrayList<>();
        List<Long> ab = new ArrayList<>();
        List<Long> a0 = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            a.add(apply("a", target(commit(i))).result().id());
            ab.add(apply("a-b", target(commit(100 + i))).result().id());
            if (i <= 2) {
                a0.add(apply("a0", target(commit(200 + i))).result().id());
            }
        }

        assertThat(store.rollouts("a", 0, 10)).extracting(Rollout::id).containsExactlyElementsOf(newestFirst(a));
        assertThat(store.rollouts("a-b", 0, 10)).extracting(Rollout::id).containsExactlyElementsOf(newestFirst(ab));
        assertThat(store.rollouts("a0", 0, 10)).extracting(Rollout::id).containsExactlyElementsOf(newestFirst(a0));
        assertThat(store.rollouts("a", 0, 2)).extracting(Rollout::id).containsExactly(a.get(4), a.get(3));
        assertThat(store.rollouts("a", 2, 2)).extracting(Rollout::id).containsExactly(a.get(2), a.get(1));
        assertThat(store.rollouts("a", 4, 2)).extracting(Rollout::id).containsExactly(a.get(0));
        assertThat(store.rollouts("a", 5, 2)).isEmpty();
        assertThat(store.rollouts("a-", 0, 10)).isEmpty();
        assertThat(store.rollouts("b", 0, 10)).isEmpty();
        assertThat(store.rolloutCount("a")).isEqualTo(5);
        assertThat(store.rolloutCount("a-b")).isEqualTo(5);
        assertThat(store.rolloutCount("a0")).isEqualTo(2);
        assertThat(store.rollouts("a", 0, 10)).allMatch(r -> r.repo().equals("a"));
        assertThat(store.rollout(ab.get(0)).orElseThrow().repo()).isEqualTo("a-b");
        assertThat(store.rollout(999_999)).isEmpty();
    }

    @Test
    void rolloutHistoryKeepsEveryStateChange() {
        store = open();
        long first = apply("primary", target(commit(1))).result().id();
        apply("primary", target(commit(2)));

        Rollout superseded = store.rollout(first).orElseThrow();

        assertThat(superseded.state()).isEqualTo(RolloutState.SUPERSEDED);
        assertThat(superseded.events()).extracting(e -> e.action())
                .containsExactly(RolloutAction.CREATED, RolloutAction.SUPERSEDED);
    }

    /**
     * Listeners may be called on another thread and later (etcd's watch), so a listener sees at least the revision it
     * hears; a store that calls them in the writing thread checks more (see its own tests).
     */
    @Test
    void listenersHearEachNewRevisionAfterItIsStored() {
        store = open();
        List<Long> heard = new CopyOnWriteArrayList<>();
        List<Long> storedWhenHeard = new CopyOnWriteArrayList<>();
        List<String> targetWhenHeard = new CopyOnWriteArrayList<>();
        ManifestStore listened = store;
        listened.changes().subscribe(change -> {
            if (!change.newRevision()) {
                return;
            }
            long revision = change.revision();
            heard.add(revision);
            storedWhenHeard.add(listened.revision());
            targetWhenHeard.add(listened.repo("primary").flatMap(RepoState::target).orElse(null));
        });

        apply("primary", target(commit(1)));
        apply("primary", preparing("h1", commit(1)));
        apply("primary", new Command.Pause("alice", null));
        apply("primary", target(commit(2)));

        await().atMost(Duration.ofSeconds(5)).until(() -> targetWhenHeard.size() >= 3);
        assertThat(heard).as("the hosts set, then two targets").containsExactly(1L, 2L, 3L);
        assertThat(storedWhenHeard.get(1)).isGreaterThanOrEqualTo(2L);
        assertThat(storedWhenHeard.get(2)).isEqualTo(3L);
        assertThat(targetWhenHeard.get(2)).isEqualTo(commit(2));
    }

    // --- the layout: per-host entries apart from the summary ----------------------------------------------------

    @Test
    void aReportWritesItsHostsEntryAndTheSummaryOnlyWhenACountMoves() {
        store = open();
        Set<String> hosts = Set.of("h1", "h2", "h3");
        apply(store, "primary", hosts, target(commit(1)));
        long version = store.repo("primary").orElseThrow().version();

        Transition preparing = apply(store, "primary", hosts, preparing("h1", commit(1)));

        assertThat(preparing.changed()).isTrue();
        assertThat(preparing.summaryChanged()).as("no count moved").isFalse();
        assertThat(store.repo("primary").orElseThrow().version()).isEqualTo(version);
        assertThat(store.host("primary", "h1").orElseThrow().status().preparing()).isEqualTo(commit(1));
        assertThat(store.host("primary", "h2")).isEmpty();

        apply(store, "primary", hosts, prepared("h1", commit(1)));
        apply(store, "primary", hosts, prepared("h2", commit(1)));

        RepoState summary = store.repo("primary").orElseThrow();
        assertThat(summary.version()).isEqualTo(version + 2);
        assertThat(summary.tally().prepared(commit(1))).isEqualTo(2);
        assertThat(summary.pending().hostsPrepared()).isEqualTo(2);
        assertThat(store.hosts("primary")).extracting(HostEntry::host).containsExactly("h1", "h2");
        assertThat(store.host("primary", "h2").orElseThrow().preparedFor(summary.pending().id())).contains(NOW);
        assertThat(summary.active()).isNull();
        assertThat(store.hosts("primar")).as("another repository's prefix").isEmpty();
    }

    @Test
    void aHeartbeatThatChangesNothingWritesNothingDurable() {
        store = open();
        HostStatus status = new HostStatus(null, commit(1), null, null, null, null, NOW);
        apply(store, "primary", Set.of("h1", "h2"), target(commit(1)));
        apply(store, "primary", Set.of("h1", "h2"), numbered("h1", status, 1));
        Object before = durableState();
        RepoState summary = store.repo("primary").orElseThrow();
        long revision = store.revision();

        Transition heartbeat = apply(store, "primary", Set.of("h1", "h2"), numbered("h1", status, 2));
        Transition stale = apply(store, "primary", Set.of("h1", "h2"),
                numbered("h1", new HostStatus(null, null, commit(1), null, null, null, NOW), 1));

        assertThat(heartbeat.changed()).isFalse();
        assertThat(stale.changed()).isFalse();
        assertThat(durableState()).as("not a byte written").isEqualTo(before);
        assertThat(store.repo("primary")).contains(summary);
        assertThat(store.revision()).isEqualTo(revision);
        assertThat(store.host("primary", "h1").orElseThrow().status().sequence()).as("the key of the last change")
                .isEqualTo(1);
    }

    @Test
    void concurrentReportsOfManyHostsLoseNoneAndActivateExactlyOnce() throws Exception {
        store = open();
        int count = 40;
        Set<String> hosts = IntStream.range(0, count).mapToObj(i -> "h" + i).collect(Collectors.toSet());
        long id = apply(store, "primary", hosts, target(commit(1))).result().id();
        long revision = store.revision();
        CyclicBarrier start = new CyclicBarrier(8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Transition> outcomes = new CopyOnWriteArrayList<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = thread; i < count; i += 8) {
                        outcomes.add(apply(store, "primary", hosts, preparing("h" + i, commit(1))));
                        outcomes.add(apply(store, "primary", hosts, prepared("h" + i, commit(1))));
                    }
                    return null;
                }));
            }
            for (Future<?> thread : done) {
                thread.get();
            }
        }
        finally {
            pool.shutdownNow();
        }

        assertThat(outcomes).filteredOn(Transition::desiredChanged).as("one activation").hasSize(1);
        assertThat(store.revision()).isEqualTo(revision + 1);
        RepoState summary = store.repo("primary").orElseThrow();
        assertThat(summary.active()).isEqualTo(commit(1));
        assertThat(summary.tally().prepared(commit(1))).isEqualTo(count);
        assertThat(store.hosts("primary")).as("every host's last report").hasSize(count)
                .allMatch(e -> commit(1).equals(e.status().next()) && e.status().preparing() == null);
        Rollout rollout = store.rollout(id).orElseThrow();
        assertThat(rollout.state()).isEqualTo(RolloutState.ACTIVATING);
        assertThat(rollout.hostsPrepared()).isEqualTo(count);
        assertThat(rollout.events()).filteredOn(e -> e.action() == RolloutAction.ACTIVATING).hasSize(1);
    }

    @Test
    void changingTheExpectedHostsCountsAgainFromTheEntriesThatStay() {
        store = open();
        apply(store, "primary", Set.of("h1", "h2", "h3"), target(commit(1)));
        apply(store, "primary", Set.of("h1", "h2", "h3"), prepared("h1", commit(1)));
        apply(store, "primary", Set.of("h1", "h2", "h3"), prepared("h3", commit(1)));

        changeHosts("primary", Set.of("h1", "h2"));
        assertThat(store.expectedHosts("primary")).containsExactlyInAnyOrder("h1", "h2");
        assertThat(store.host("primary", "h3")).as("a host no longer expected has no entry").isEmpty();
        assertThat(store.repo("primary").orElseThrow().tally().prepared(commit(1))).isEqualTo(1);

        Transition back = changeHosts("primary", Set.of("h1", "h2", "h3"));
        assertThat(back.changed()).isTrue();
        assertThat(store.repo("primary").orElseThrow().pending().hostsPrepared()).isEqualTo(1);
        apply(store, "primary", Set.of("h1", "h2", "h3"), prepared("h2", commit(1)));
        assertThat(store.repo("primary").orElseThrow().active()).as("h3 must report again").isNull();
        apply(store, "primary", Set.of("h1", "h2", "h3"), prepared("h3", commit(1)));
        assertThat(store.repo("primary").orElseThrow().active()).isEqualTo(commit(1));
    }

    /**
     * {@code activate-after}: what a waiting rollout requires, and which of it was met, is kept through a restart
     * (in the summary's pending rollout and in the history), so a restarted instance, or the other one on etcd, goes
     * on waiting for the same commit and activates when it is met, once.
     */
    @Test
    void aWaitingRolloutsRequirementsSurviveAReopen() {
        store = open();
        Command.SetTarget waiting = new Command.SetTarget(commit(7), Ancestry.NO_ACTIVE, false, "ci", "needs primary",
                List.of(Requirement.unmet("primary", commit(2)), Requirement.unmet("tertiary", commit(3))));
        Rollout created = apply("secondary", waiting).result();
        apply("secondary", prepared("h1", commit(7)));
        apply("secondary", new Command.MeetRequirement(created.id(), "tertiary", commit(3), 1));

        store = reopen(store);

        Rollout pending = store.repo("secondary").orElseThrow().pending();
        assertThat(pending.id()).isEqualTo(created.id());
        assertThat(pending.unmetRequirements()).containsExactly(Requirement.unmet("primary", commit(2)));
        assertThat(pending.requires()).extracting(Requirement::repo).containsExactly("primary", "tertiary");
        assertThat(store.rollout(created.id()).orElseThrow().events()).extracting(RolloutEvent::action)
                .containsExactly(RolloutAction.CREATED, RolloutAction.WAITING, RolloutAction.REQUIREMENT_MET);
        assertThat(store.repo("secondary").orElseThrow().active()).isNull();

        Transition met = apply("secondary", new Command.MeetRequirement(created.id(), "primary", commit(2), 1));
        assertThat(met.desiredChanged()).isTrue();
        store = reopen(store);
        assertThat(store.repo("secondary").orElseThrow().active()).isEqualTo(commit(7));
        assertThat(apply("secondary", new Command.MeetRequirement(created.id(), "primary", commit(2), 1)).changed())
                .as("met again after the restart: nothing to write").isFalse();
    }

    /** Applies {@code command} to {@code repo} (hosts: h1, set first if they are not) with the real machine. */
    protected Transition apply(String repo, Command command) {
        return apply(store, repo, Set.of("h1"), command);
    }

    /** Applies {@code command} to {@code repo} of {@code target}, its expected hosts set to {@code hosts} first. */
    protected Transition apply(ManifestStore target, String repo, Set<String> hosts, Command command) {
        if (!target.expectedHosts(repo).equals(hosts)) {
            Command change = new Command.ChangeHosts(hosts);
            target.update(repo, change.reads(), (snapshot, next) -> machine.apply(snapshot, change, NOW, next));
        }
        return target.update(repo, command.reads(), (snapshot, next) -> machine.apply(snapshot, command, NOW, next));
    }

    /** The expected hosts of {@code repo} in {@link #store} changed to {@code hosts}, as at a start-up. */
    protected Transition changeHosts(String repo, Set<String> hosts) {
        Command change = new Command.ChangeHosts(hosts);
        return store.update(repo, change.reads(), (snapshot, next) -> machine.apply(snapshot, change, NOW, next));
    }

    protected static Command target(String commit) {
        return new Command.SetTarget(commit, Ancestry.NO_ACTIVE, false, "ci", "test");
    }

    /** A host that prepared and switched to {@code commit}. */
    protected static Command report(String host, String commit) {
        return new Command.Report(host, new HostStatus(commit, commit, null, null, null, null, NOW));
    }

    /** A host that prepared {@code commit} (its {@code next}) but still serves what it had. */
    protected static Command prepared(String host, String commit) {
        return new Command.Report(host, new HostStatus(null, commit, null, null, null, null, NOW));
    }

    /** A host still preparing {@code commit}: changes the state, not what agents must do. */
    protected static Command preparing(String host, String commit) {
        return new Command.Report(host, new HostStatus(null, null, commit, null, null, null, NOW));
    }

    /** {@code status} as report number {@code sequence} of agent session {@code s1}. */
    protected static Command numbered(String host, HostStatus status, long sequence) {
        return new Command.Report(host, new HostStatus(status.current(), status.next(), status.preparing(),
                status.error(), status.errorCommit(), status.switchedAt(), NOW.plusSeconds(sequence), false, null, 0,
                "s1", sequence));
    }

    protected static String commit(int n) {
        return String.format("%040x", n);
    }

    private static List<Long> newestFirst(List<Long> ids) {
        List<Long> copy = new ArrayList<>(ids);
        Collections.reverse(copy);
        return copy;
    }
}

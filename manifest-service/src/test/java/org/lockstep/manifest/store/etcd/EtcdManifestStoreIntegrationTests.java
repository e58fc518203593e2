package org.lockstep.manifest.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.lockstep.manifest.rollout.Command;
import org.lockstep.manifest.rollout.Command.Ancestry;
import org.lockstep.manifest.rollout.RepoState;
import org.lockstep.manifest.rollout.Rollout;
import org.lockstep.manifest.rollout.RolloutRejected;
import org.lockstep.manifest.rollout.RolloutState;
import org.lockstep.manifest.rollout.Transition;

/**
 * The etcd store on a real etcd process, driven by the real rollout machine: the behaviours the embedded store has
 * (EmbeddedManifestStoreIntegrationTests), on etcd. What only a shared store must get right is in
 * {@link TwoManifestsIntegrationTests} and {@link EtcdOutageIntegrationTests}.
 */
class EtcdManifestStoreIntegrationTests extends EtcdStoreScenario {

    private EtcdManifestStore store;

    @Test
    void reopeningKeepsStateHistoryRevisionAndStoreId() {
        store = open();
        String storeId = store.storeId();
        Rollout rollout = apply("primary", target(commit(1))).result();
        apply("primary", report("h1", commit(1)));
        RepoState before = store.repo("primary").orElseThrow();
        long revision = store.revision();
        store.close();

        store = open();

        assertThat(store.storeId()).isEqualTo(storeId).hasSize(36);
        assertThat(store.revision()).isEqualTo(revision);
        assertThat(store.repo("primary")).contains(before);
        assertThat(store.rollout(rollout.id()).orElseThrow().state()).isEqualTo(RolloutState.COMPLETE);
        assertThat(store.rollouts("primary", 0, 10)).extracting(Rollout::id).containsExactly(rollout.id());
        assertThat(before.active()).isEqualTo(commit(1));
    }

    @Test
    void newPrefixStartsAtRevisionZeroWithAFreshIdAndSecondInstanceSharesIt() {
        store = open();
        apply("primary", target(commit(1)));
        EtcdManifestStore other = open(prefix.replace("/lockstep-", "/lockstep-other-"), TIMEOUT);
        EtcdManifestStore same = open();

        assertThat(other.revision()).isZero();
        assertThat(other.storeId()).isNotEqualTo(store.storeId()).hasSize(36);
        assertThat(same.storeId()).isEqualTo(store.storeId());
        assertThat(same.revision()).isEqualTo(1);
    }

    @Test
    void revisionAdvancesOnlyWhenTheDesiredStateChanges() {
        store = open();
        assertThat(store.revision()).isZero();

        apply("primary", target(commit(1)));
        assertThat(store.revision()).isEqualTo(1);

        Transition preparing = apply("primary", preparing("h1", commit(1)));
        assertThat(preparing.changed()).isTrue();
        assertThat(store.revision()).as("a report that changes no desired state").isEqualTo(1);

        apply("primary", new Command.Pause("alice", "freeze"));
        assertThat(store.revision()).as("pause changes nothing agents must do").isEqualTo(1);

        apply("primary", new Command.Resume("alice", null));
        apply("primary", report("h1", commit(1)));
        assertThat(store.revision()).as("activation").isEqualTo(2);

        Transition same = apply("primary", report("h1", commit(1)));
        assertThat(same.changed()).isFalse();
        assertThat(store.revision()).isEqualTo(2);
        assertThat(store.repo("primary").orElseThrow().revision()).isEqualTo(2);
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

        assertThat(open().repo("primary")).contains(before);
        assertThat(store.revision()).isEqualTo(1);
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
        assertThat(superseded.events()).extracting(e -> e.action()).containsExactly("CREATED", "SUPERSEDED");
    }

    @Test
    void listenersHearEachNewRevisionAfterItIsStored() {
        store = open();
        List<Long> heard = new CopyOnWriteArrayList<>();
        List<Long> storedWhenHeard = new CopyOnWriteArrayList<>();
        store.onRevision(revision -> {
            heard.add(revision);
            storedWhenHeard.add(store.revision());
        });

        apply("primary", target(commit(1)));
        apply("primary", preparing("h1", commit(1)));
        apply("primary", new Command.Pause("alice", null));
        apply("primary", target(commit(2)));

        await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() >= 2);
        assertThat(heard).containsExactly(1L, 2L);
        assertThat(storedWhenHeard.get(0)).isGreaterThanOrEqualTo(1L);
        assertThat(storedWhenHeard.get(1)).isEqualTo(2L);
    }

    private Transition apply(String repo, Command command) {
        return apply(store, repo, Set.of("h1"), command);
    }

    private static List<Long> newestFirst(List<Long> ids) {
        List<Long> copy = new ArrayList<>(ids);
        Collections.reverse(copy);
        return copy;
    }
}

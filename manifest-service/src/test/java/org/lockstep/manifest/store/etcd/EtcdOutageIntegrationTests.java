package org.lockstep.manifest.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.store.StoreUnavailable;

/**
 * etcd dies (SIGKILL) under a running manifest: writes fail promptly with {@link StoreUnavailable}, so the API
 * answers 503 instead of hanging and nothing is acknowledged; after etcd comes back on the same data everything
 * acknowledged is there, and the same store instance works again without a restart.
 */
class EtcdOutageIntegrationTests extends EtcdStoreScenario {

    private static final Duration SHORT_TIMEOUT = Duration.ofSeconds(2);

    @Test
    void killedEtcdMakesWritesUnavailablePromptlyAndRestartKeepsState() throws Exception {
        EtcdManifestStore store = open(prefix, SHORT_TIMEOUT);
        Set<String> hosts = Set.of("h1");
        apply(store, "primary", hosts, target(commit(1)));
        apply(store, "primary", hosts, report("h1", commit(1)));
        apply(store, "primary", hosts, target(commit(2)));
        RepoState acknowledged = store.repo("primary").orElseThrow();
        String storeId = store.storeId();

        etcd.kill();

        long started = System.nanoTime();
        assertThatThrownBy(() -> apply(store, "primary", hosts, target(commit(3))))
                .isInstanceOf(StoreUnavailable.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        assertThatThrownBy(store::revision).isInstanceOf(StoreUnavailable.class);

        etcd.restart();

        EtcdManifestStore reopened = open(prefix, SHORT_TIMEOUT);
        assertThat(reopened.storeId()).isEqualTo(storeId);
        assertThat(reopened.revision()).as("hosts, two targets, an activation").isEqualTo(4);
        assertThat(reopened.repo("primary")).contains(acknowledged);
        assertThat(reopened.rolloutCount("primary")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(15)).ignoreException(StoreUnavailable.class)
                .until(() -> apply(store, "primary", hosts, target(commit(3))).desiredChanged());
        assertThat(reopened.revision()).isEqualTo(5);
    }
}

package org.lockstep.manifest.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lockstep.manifest.store.ManifestStore;
import org.lockstep.manifest.store.ManifestStoreContractTests;

/**
 * The etcd store on a real etcd process: the {@link ManifestStoreContractTests contract} every store keeps, on etcd
 * (one etcd for the class, a fresh key prefix per test), plus what only a store shared by instances does here. More
 * of that is in {@link TwoManifestsIntegrationTests} and {@link EtcdOutageIntegrationTests}.
 */
class EtcdManifestStoreIntegrationTests extends ManifestStoreContractTests {

    @RegisterExtension
    static final EtcdCluster etcd = new EtcdCluster();

    private final String prefix = EtcdCluster.newPrefix();

    @Override
    protected ManifestStore open() {
        return etcd.open(prefix, EtcdCluster.TIMEOUT);
    }

    @Override
    protected ManifestStore reopen(ManifestStore old) {
        ((EtcdManifestStore) old).close();
        return open();
    }

    /** The same etcd under another key prefix. */
    @Override
    protected ManifestStore openFresh() {
        return etcd.open(prefix.replace("/lockstep-", "/lockstep-other-"), EtcdCluster.TIMEOUT);
    }

    @Test
    void newPrefixStartsAtRevisionZeroWithAFreshIdAndSecondInstanceSharesIt() {
        store = open();
        apply("primary", target(commit(1)));
        ManifestStore other = openFresh();
        ManifestStore same = open();

        assertThat(other.revision()).isZero();
        assertThat(other.storeId()).isNotEqualTo(store.storeId()).hasSize(36);
        assertThat(same.storeId()).isEqualTo(store.storeId());
        assertThat(same.revision()).isEqualTo(1);
    }
}

package org.lockstep.manifest.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lockstep.manifest.rollout.machine.HostEntry;
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

    /** etcd's own revision: it moves with every write to the cluster, whatever the key. */
    @Override
    protected Object durableState() {
        try (Client client = Client.builder().endpoints(etcd.process().endpoints().stream().map(URI::create)
                .toArray(URI[]::new)).build()) {
            return client.getKVClient().get(ByteSequence.from(prefix, StandardCharsets.UTF_8)).get(5,
                    TimeUnit.SECONDS).getHeader().getRevision();
        }
        catch (InterruptedException | ExecutionException | TimeoutException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** etcd caps a transaction's operations (128): removing 108 hosts' entries takes two, and loses none. */
    @Test
    void removingMoreHostsThanOneTransactionHoldsRemovesEveryEntry() {
        store = open();
        Set<String> many = IntStream.range(0, 110).mapToObj(i -> String.format("h%03d", i))
                .collect(Collectors.toSet());
        apply(store, "primary", many, target(commit(1)));
        many.forEach(host -> apply(store, "primary", many, prepared(host, commit(1))));
        assertThat(store.repo("primary").orElseThrow().active()).isEqualTo(commit(1));

        Set<String> few = Set.of("h000", "h001");
        changeHosts("primary", few);
        assertThat(store.hosts("primary")).extracting(HostEntry::host).containsExactly("h000", "h001");
        assertThat(store.repo("primary").orElseThrow().tally().prepared(commit(1))).isEqualTo(2);

        changeHosts("primary", many);
        assertThat(store.hosts("primary")).hasSize(2);
        assertThat(store.repo("primary").orElseThrow().tally().prepared(commit(1))).isEqualTo(2);
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
        assertThat(same.revision()).as("the hosts set, the target").isEqualTo(2);
    }
}

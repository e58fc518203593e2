package org.lockstep.manifest.store.etcd;

import static org.lockstep.manifest.store.etcd.EtcdKeys.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import org.lockstep.manifest.rollout.machine.HostEntry;
import org.lockstep.manifest.rollout.machine.HostsRead;
import org.lockstep.manifest.rollout.machine.RepoSnapshot;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.store.StateCodec;

/**
 * Reads what one update needs in one etcd transaction (one etcd revision): the summary, the revision, the expected
 * hosts and the host entries the command asks for, with the mod revision of each key read, which the write then
 * compares. The expected hosts (thousands of names, changed only at start-up) are read keys-only and decoded again
 * only when their mod revision moved, so a report reads a constant amount whatever the fleet's size.
 */
final class SnapshotReader {

    private static final GetOption KEYS_ONLY = GetOption.builder().withKeysOnly(true).build();

    private static final GetOption PREFIX = GetOption.builder().isPrefix(true).build();

    private final KV kv;

    private final EtcdKeys keys;

    private final EtcdCalls calls;

    private final StateCodec codec;

    private final Map<String, ExpectedHosts> expected = new ConcurrentHashMap<>();

    SnapshotReader(KV kv, EtcdKeys keys, EtcdCalls calls, StateCodec codec) {
        this.kv = kv;
        this.keys = keys;
        this.calls = calls;
        this.codec = codec;
    }

    /**
     * The snapshot, and the mod revisions (0: absent) of the keys it was made of.
     *
     * @param hostModRevisions host -> mod revision, for a one-host read (the absent host with 0)
     */
    record Read(RepoSnapshot snapshot, long summaryModRevision, long revision, long revisionModRevision,
                long expectedModRevision, Map<String, Long> hostModRevisions) {
    }

    Read read(String repo, HostsRead reads) {
        List<Op> gets = new ArrayList<>(List.of(Op.get(keys.repo(repo), GetOption.DEFAULT),
                Op.get(keys.revision(), GetOption.DEFAULT), Op.get(keys.expected(repo), KEYS_ONLY)));
        if (reads.all()) {
            gets.add(Op.get(keys.hosts(repo), PREFIX));
        }
        else if (reads.host() != null) {
            gets.add(Op.get(keys.host(repo, reads.host()), GetOption.DEFAULT));
        }
        TxnResponse response = calls.await(kv.txn().Then(gets.toArray(Op[]::new)).commit(),
                "reading repository " + repo);
        List<GetResponse> got = response.getGetResponses();
        Optional<KeyValue> summary = first(got.get(0));
        Optional<KeyValue> revision = first(got.get(1));
        long expectedModRevision = first(got.get(2)).map(KeyValue::getModRevision).orElse(0L);
        List<HostEntry> entries = new ArrayList<>();
        Map<String, Long> hostModRevisions = new HashMap<>();
        if (got.size() > 3) {
            for (KeyValue entry : got.get(3).getKvs()) {
                entries.add(codec.readHost(text(entry.getValue())));
            }
            if (reads.host() != null) {
                hostModRevisions.put(reads.host(), first(got.get(3)).map(KeyValue::getModRevision).orElse(0L));
            }
        }
        RepoState state = summary.map(e -> codec.readRepo(text(e.getValue()))).orElseGet(() -> RepoState.empty(repo));
        Set<String> hosts = expected(repo, expectedModRevision, response.getHeader().getRevision());
        return new Read(RepoSnapshot.of(state, hosts, entries), summary.map(KeyValue::getModRevision).orElse(0L),
                revision.map(e -> Long.parseLong(text(e.getValue()))).orElse(0L),
                revision.map(KeyValue::getModRevision).orElse(0L), expectedModRevision, hostModRevisions);
    }

    /** The expected hosts as they are now. */
    Set<String> expected(String repo) {
        GetResponse now = calls.await(kv.get(keys.expected(repo), KEYS_ONLY), "reading the hosts of " + repo);
        return expected(repo, first(now).map(KeyValue::getModRevision).orElse(0L), now.getHeader().getRevision());
    }

    /** This instance wrote {@code hosts} at {@code modRevision}. */
    void wrote(String repo, long modRevision, Set<String> hosts) {
        expected.put(repo, new ExpectedHosts(modRevision, hosts));
    }

    private Set<String> expected(String repo, long modRevision, long atEtcdRevision) {
        if (modRevision == 0) {
            return Set.of();
        }
        ExpectedHosts cached = expected.get(repo);
        if (cached != null && cached.modRevision() == modRevision) {
            return cached.hosts();
        }
        // The value as of the snapshot's own etcd revision, so it belongs with the rest of what was read.
        GetResponse value = calls.await(kv.get(keys.expected(repo), GetOption.builder().withRevision(atEtcdRevision)
                .build()), "reading the hosts of " + repo);
        Set<String> hosts = first(value).map(e -> codec.readHosts(text(e.getValue()))).orElse(Set.of());
        expected.put(repo, new ExpectedHosts(modRevision, hosts));
        return hosts;
    }

    static Optional<KeyValue> first(GetResponse response) {
        return response.getKvs().stream().findFirst();
    }

    private record ExpectedHosts(long modRevision, Set<String> hosts) {
    }
}

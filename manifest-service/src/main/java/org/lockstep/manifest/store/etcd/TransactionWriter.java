package org.lockstep.manifest.store.etcd;

import static org.lockstep.manifest.store.etcd.EtcdKeys.bytes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import org.lockstep.manifest.rollout.machine.HostEntry;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.Transition;
import org.lockstep.manifest.store.StateCodec;

/**
 * Writes one transition as one etcd transaction, conditional on every key its snapshot read: the summary, the
 * revision, the expected hosts and, for a report, the host's entry. It puts only what changed: a report that moves
 * no count writes its host's key alone. When every host was read (the expected hosts changed) the summary's compare
 * stands for the entries: every change of an entry that a recount depends on also writes the summary.
 * <p>
 * etcd caps the operations of one transaction (128 by default), and changing the expected hosts may remove many
 * entries. Entries of hosts that become expected again (left from an earlier removal) go first, in transactions of
 * their own conditional on the expected hosts: nothing reads them until those change. Entries of hosts no longer
 * expected go with the main transaction when they fit, else after it: once it committed nothing reads them either.
 */
final class TransactionWriter {

    /** Operations per transaction, below etcd's default limit of 128. */
    static final int MAX_OPS = 100;

    private final KV kv;

    private final EtcdKeys keys;

    private final EtcdCalls calls;

    private final StateCodec codec;

    private final SnapshotReader reader;

    TransactionWriter(KV kv, EtcdKeys keys, EtcdCalls calls, StateCodec codec, SnapshotReader reader) {
        this.kv = kv;
        this.keys = keys;
        this.calls = calls;
        this.codec = codec;
        this.reader = reader;
    }

    /** Commits the transition unless somebody wrote a key it read since {@code read}; empty if they did. */
    Optional<Transition> write(String repo, SnapshotReader.Read read, Transition transition) {
        long newRevision = transition.desiredChanged() ? read.revision() + 1 : read.revision();
        RepoState written = transition.summaryChanged()
                ? transition.state().written(newRevision, transition.desiredChanged()) : transition.state();
        Transition.HostChanges hosts = transition.hosts();
        List<Cmp> compares = compares(repo, read);
        if (!dropFirst(repo, hosts.dropFirst(), compares.get(2))) {
            return Optional.empty();
        }
        List<Op> ops = new ArrayList<>();
        if (transition.summaryChanged()) {
            ops.add(put(keys.repo(repo), codec.write(written)));
        }
        for (HostEntry entry : hosts.written()) {
            ops.add(put(keys.host(repo, entry.host()), codec.write(entry)));
        }
        if (hosts.expectedHosts() != null) {
            ops.add(put(keys.expected(repo), codec.write(hosts.expectedHosts())));
        }
        for (Rollout rollout : transition.rollouts()) {
            ops.add(put(keys.rollout(rollout.repo(), rollout.id()), codec.write(rollout)));
            ops.add(put(keys.rolloutRepo(rollout.id()), rollout.repo()));
        }
        if (transition.desiredChanged()) {
            ops.add(put(keys.revision(), Long.toString(newRevision)));
        }
        List<String> after = new ArrayList<>(hosts.dropAfter());
        while (!after.isEmpty() && ops.size() < MAX_OPS) {
            ops.add(Op.delete(keys.host(repo, after.remove(after.size() - 1)), DeleteOption.DEFAULT));
        }
        TxnResponse response = calls.await(kv.txn().If(compares.toArray(Cmp[]::new)).Then(ops.toArray(Op[]::new))
                .commit(), "writing repository " + repo);
        if (!response.isSucceeded()) {
            return Optional.empty();
        }
        if (hosts.expectedHosts() != null) {
            reader.wrote(repo, response.getHeader().getRevision(), hosts.expectedHosts());
        }
        for (int from = 0; from < after.size(); from += MAX_OPS) {
            Op[] deletes = after.subList(from, Math.min(after.size(), from + MAX_OPS)).stream()
                    .map(host -> Op.delete(keys.host(repo, host), DeleteOption.DEFAULT)).toArray(Op[]::new);
            calls.await(kv.txn().Then(deletes).commit(), "removing entries of hosts no longer expected in " + repo);
        }
        return Optional.of(transition.stored(written));
    }

    /**
     * Every key read, unchanged: summary, revision, expected hosts (in this order), the host read. The revision's
     * compare is there even when it is not bumped: a write may create a rollout whose id is the next revision.
     */
    private List<Cmp> compares(String repo, SnapshotReader.Read read) {
        List<Cmp> compares = new ArrayList<>(List.of(unchanged(keys.repo(repo), read.summaryModRevision()),
                unchanged(keys.revision(), read.revisionModRevision()),
                unchanged(keys.expected(repo), read.expectedModRevision())));
        for (Map.Entry<String, Long> host : read.hostModRevisions().entrySet()) {
            compares.add(unchanged(keys.host(repo, host.getKey()), host.getValue()));
        }
        return compares;
    }

    /** Removes left-over entries of hosts about to become expected; false if the expected hosts changed meanwhile. */
    private boolean dropFirst(String repo, Set<String> hosts, Cmp expectedUnchanged) {
        List<String> all = new ArrayList<>(hosts);
        for (int from = 0; from < all.size(); from += MAX_OPS) {
            Op[] deletes = all.subList(from, Math.min(all.size(), from + MAX_OPS)).stream()
                    .map(host -> Op.delete(keys.host(repo, host), DeleteOption.DEFAULT)).toArray(Op[]::new);
            TxnResponse response = calls.await(kv.txn().If(expectedUnchanged).Then(deletes).commit(),
                    "removing left-over entries of " + repo);
            if (!response.isSucceeded()) {
                return false;
            }
        }
        return true;
    }

    private static Cmp unchanged(ByteSequence key, long modRevision) {
        return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(modRevision));
    }

    private static Op put(ByteSequence key, String value) {
        return Op.put(key, bytes(value), PutOption.DEFAULT);
    }
}

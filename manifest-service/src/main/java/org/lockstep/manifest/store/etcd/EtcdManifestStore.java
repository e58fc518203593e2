package org.lockstep.manifest.store.etcd;

import static org.lockstep.manifest.store.etcd.EtcdKeys.bytes;
import static org.lockstep.manifest.store.etcd.EtcdKeys.text;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import org.lockstep.manifest.change.Change;
import org.lockstep.manifest.change.ChangeChannel;
import org.lockstep.manifest.change.Changes;
import org.lockstep.manifest.rollout.machine.HostEntry;
import org.lockstep.manifest.rollout.machine.HostsRead;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.Transition;
import org.lockstep.manifest.store.ManifestStore;
import org.lockstep.manifest.store.StateCodec;
import org.lockstep.manifest.store.StoreHealth;
import org.lockstep.manifest.store.StoreNotOpen;
import org.lockstep.manifest.store.StoreUnavailable;
import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store shared by several manifest instances through one etcd cluster, with the layout of docs/ha.md: a summary
 * key per repository, a key per host and repository, the expected hosts, the history. Every write is one etcd
 * transaction that first compares the mod revisions of the keys it read ({@link SnapshotReader}): if any instance
 * wrote one of them in between, the transaction does nothing and the change is re-applied to what is stored now
 * ({@link TransactionWriter}). So exactly one instance wins each race (the summary key serializes activations; one
 * rollout per revision), and no update is lost; reports of different hosts conflict only when both move the
 * summary. Reads are linearizable (etcd's default), so an instance never answers from state older than an
 * acknowledged write.
 * <p>
 * The connection (TLS, authentication, opening, health) is {@link EtcdConnection}'s: until it has opened the store,
 * every method throws {@link StoreNotOpen} with the reason.
 */
public final class EtcdManifestStore implements ManifestStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EtcdManifestStore.class);

    static final int MAX_ATTEMPTS = 20;

    private final EtcdKeys keys;

    private final EtcdCalls calls;

    private final ChangeChannel changes = new ChangeChannel();

    private final StateCodec codec = new StateCodec();

    /** One lock per repository: this instance's own writers queue here instead of failing each other's compares. */
    private final ConcurrentHashMap<String, Object> repoLocks = new ConcurrentHashMap<>();

    private final EtcdConnection connection;

    /** Set once, when the store has opened. */
    private volatile Opened opened;

    /**
     * Connects (TLS and authentication as {@code settings} say) and opens the store, or, when etcd cannot be used,
     * returns a store that is not open yet: it logs why once, answers {@link StoreNotOpen}, reports DOWN in
     * {@link #health()}, and keeps trying in the background.
     */
    public EtcdManifestStore(EtcdSettings settings) {
        this.keys = new EtcdKeys(settings.prefix());
        this.calls = new EtcdCalls(settings);
        this.connection = new EtcdConnection(settings, keys.storeId(), client -> open(client, settings));
    }

    /** Plain {@code http://} endpoints without authentication. */
    public EtcdManifestStore(List<String> endpoints, String prefix, Duration timeout) {
        this(EtcdSettings.plain(endpoints, prefix, timeout));
    }

    /** Finds or creates the store id, reads the revision and starts the watch: only then is the store open. */
    private void open(Client client, EtcdSettings settings) {
        KV kv = client.getKVClient();
        String storeId = createdOrExistingStoreId(kv);
        GetResponse revision = calls.await(kv.get(keys.revision()), "reading the revision");
        RevisionWatch watch = new RevisionWatch(client, keys, calls, changes);
        watch.start(revisionOf(revision), revision.getHeader().getRevision());
        SnapshotReader reader = new SnapshotReader(kv, keys, calls, codec);
        opened = new Opened(kv, watch, storeId, reader, new TransactionWriter(kv, keys, calls, codec, reader));
        log.info("event=store-opened store=etcd endpoints={} prefix={} as={} storeId={} revision={}",
                settings.endpoints(), settings.prefix(), LogText.quoted(settings.identity()), storeId,
                revisionOf(revision));
    }

    /**
     * The first instance to start creates the id and revision 0; the compare makes every later one keep them. Only
     * a transaction that etcd answered decides: a refused or unanswered one throws, so an authentication, TLS or
     * connection failure can never be taken for an empty store (and the attempt is repeated as a whole).
     */
    private String createdOrExistingStoreId(KV kv) {
        String candidate = UUID.randomUUID().toString();
        TxnResponse created = calls.await(kv.txn()
                .If(new Cmp(keys.storeId(), Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(keys.storeId(), bytes(candidate), PutOption.DEFAULT),
                        Op.put(keys.revision(), bytes("0"), PutOption.DEFAULT))
                .Else(Op.get(keys.storeId(), GetOption.DEFAULT))
                .commit(), "creating the store id");
        if (created.isSucceeded()) {
            log.info("event=store-created store=etcd storeId={}", candidate);
            return candidate;
        }
        return text(created.getGetResponses().get(0).getKvs().get(0).getValue());
    }

    private KV kv() {
        return opened().kv();
    }

    private RevisionWatch watch() {
        return opened().watch();
    }

    private SnapshotReader reader() {
        return opened().reader();
    }

    private TransactionWriter writes() {
        return opened().writes();
    }

    private Opened opened() {
        Opened now = opened;
        if (now == null) {
            connection.client(); // throws StoreNotOpen with the reason
            throw new StoreNotOpen("the etcd store is not open yet");
        }
        return now;
    }

    @Override
    public StoreHealth health() {
        StoreHealth health = connection.health();
        Opened now = opened;
        if (now == null) {
            return health;
        }
        Map<String, Object> details = new LinkedHashMap<>(health.details());
        details.put("storeId", now.storeId());
        return new StoreHealth(health.up(), details);
    }

    @Override
    public void whenOpen(Runnable startup) {
        connection.whenOpen(startup);
    }

    @Override
    public void checkAvailable() {
        connection.checkAvailable();
    }

    @Override
    public String storeId() {
        return opened().storeId();
    }

    @Override
    public long revision() {
        return revisionOf(calls.await(kv().get(keys.revision()), "reading the revision"));
    }

    @Override
    public Optional<RepoState> repo(String name) {
        return first(calls.await(kv().get(keys.repo(name)), "reading repository " + name))
                .map(entry -> codec.readRepo(text(entry.getValue())));
    }

    @Override
    public Set<String> expectedHosts(String repo) {
        return reader().expected(repo);
    }

    @Override
    public Optional<HostEntry> host(String repo, String host) {
        return first(calls.await(kv().get(keys.host(repo, host)), "reading host " + host + " of " + repo))
                .map(entry -> codec.readHost(text(entry.getValue())));
    }

    @Override
    public List<HostEntry> hosts(String repo) {
        GetOption byName = GetOption.builder().isPrefix(true).withSortField(GetOption.SortTarget.KEY)
                .withSortOrder(GetOption.SortOrder.ASCEND).build();
        return calls.await(kv().get(keys.hosts(repo), byName), "listing the hosts of " + repo).getKvs().stream()
                .map(entry -> codec.readHost(text(entry.getValue()))).toList();
    }

    /**
     * A first attempt without the repository's lock: a heartbeat (nothing to write) or a report that writes only its
     * host's key does not wait for this instance's other writers. A write that moves the summary takes the lock and
     * is applied again there, so this instance's summary writers queue instead of failing each other's compares.
     */
    @Override
    public Transition update(String repo, HostsRead reads, Mutation mutation) {
        SnapshotReader.Read read = reader().read(repo, reads);
        Transition transition = mutation.apply(read.snapshot(), read.revision() + 1);
        if (!transition.changed()) {
            return transition;
        }
        if (!transition.summaryChanged()) {
            Optional<Transition> written = writes().write(repo, read, transition);
            if (written.isPresent()) {
                return announced(read, written.get());
            }
        }
        synchronized (repoLocks.computeIfAbsent(repo, n -> new Object())) {
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                read = reader().read(repo, reads);
                transition = mutation.apply(read.snapshot(), read.revision() + 1);
                if (!transition.changed()) {
                    return transition;
                }
                Optional<Transition> written = writes().write(repo, read, transition);
                if (written.isPresent()) {
                    return announced(read, written.get());
                }
                log.debug("event=etcd-write-conflict repo={} attempt={}", repo, attempt);
                pause(attempt);
            }
        }
        log.warn("event=etcd-write-gave-up repo={} attempts={}", repo, MAX_ATTEMPTS);
        throw new StoreUnavailable("repository " + repo + " kept changing under " + MAX_ATTEMPTS + " attempts", null);
    }

    private Transition announced(SnapshotReader.Read read, Transition written) {
        long revision = written.desiredChanged() ? read.revision() + 1 : read.revision();
        watch().announce(new Change.Written(revision, written));
        return written;
    }

    @Override
    public List<Rollout> rollouts(String repo, int offset, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        GetOption newestFirst = GetOption.builder().isPrefix(true).withSortField(GetOption.SortTarget.KEY)
                .withSortOrder(GetOption.SortOrder.DESCEND).withLimit((long) offset + limit).build();
        GetResponse page = calls.await(kv().get(keys.rollouts(repo), newestFirst), "listing rollouts of " + repo);
        return page.getKvs().stream().skip(offset).map(entry -> codec.readRollout(text(entry.getValue()))).toList();
    }

    @Override
    public long rolloutCount(String repo) {
        GetOption count = GetOption.builder().isPrefix(true).withCountOnly(true).build();
        return calls.await(kv().get(keys.rollouts(repo), count), "counting rollouts of " + repo).getCount();
    }

    @Override
    public Optional<Rollout> rollout(long id) {
        Optional<String> repo = first(calls.await(kv().get(keys.rolloutRepo(id)), "finding rollout " + id))
                .map(entry -> text(entry.getValue()));
        if (repo.isEmpty()) {
            return Optional.empty();
        }
        return first(calls.await(kv().get(keys.rollout(repo.get(), id)), "reading rollout " + id))
                .map(entry -> codec.readRollout(text(entry.getValue())));
    }

    @Override
    public Changes changes() {
        return changes;
    }

    @Override
    public void close() {
        Opened now = opened;
        if (now != null) {
            now.watch().close();
        }
        connection.close();
    }

    private static Optional<KeyValue> first(GetResponse response) {
        return response.getKvs().stream().findFirst();
    }

    private static long revisionOf(GetResponse response) {
        return first(response).map(entry -> Long.parseLong(text(entry.getValue()))).orElse(0L);
    }

    /** Spreads the retries of instances that keep colliding, so one of them gets through. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * Math.min(attempt, 10)));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailable("interrupted between etcd write attempts", ex);
        }
    }

    /** What exists once the store has opened. */
    private record Opened(KV kv, RevisionWatch watch, String storeId, SnapshotReader reader,
                          TransactionWriter writes) {
    }
}

package org.lockstep.manifest.store.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.lockstep.manifest.change.Change;
import org.lockstep.manifest.change.ChangeChannel;
import org.lockstep.manifest.change.Changes;
import org.lockstep.manifest.rollout.machine.HostEntry;
import org.lockstep.manifest.rollout.machine.HostsRead;
import org.lockstep.manifest.rollout.machine.RepoSnapshot;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.Transition;
import org.lockstep.manifest.store.ManifestStore;
import org.lockstep.manifest.store.StateCodec;
import org.lockstep.manifest.store.StoreHealth;
import org.lockstep.manifest.store.StoreUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default store: one H2 MVStore file under {@code data-dir}, with a map per kind of value (summaries, host
 * entries keyed {@code <repo>/<host>}, expected hosts, rollouts). Writes are serialized by one lock; every write is
 * committed and synced to disk before {@link #update} returns, writes that arrive together sharing one sync
 * ({@link GroupCommit}), so nothing acknowledged is lost to a crash; a transition that changed nothing commits
 * nothing, so the file stays byte for byte as it was.
 * <p>
 * What agents are told (the revision, summaries, expected hosts) is read from what is durable only: a write becomes
 * visible there once its sync is done, never before, so no agent acts on a change a crash could still take back.
 * Host entries and rollouts are read as written (for display; a write in its sync shows a few milliseconds early).
 */
public final class EmbeddedManifestStore implements ManifestStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedManifestStore.class);

    private static final String STORE_ID = "store-id";

    private static final String REVISION = "revision";

    private final MVStore mv;

    private final MVMap<String, String> meta;

    private final MVMap<String, String> repos;

    /** Key: repository name, a slash, the host name. */
    private final MVMap<String, String> hosts;

    private final MVMap<String, String> expected;

    /** Key: repository name, a slash, the rollout id zero-padded, so a repository's rollouts sort by id. */
    private final MVMap<String, String> rollouts;

    /** Rollout id -> repository name. */
    private final MVMap<Long, String> rolloutRepo;

    private final StateCodec codec = new StateCodec();

    private final ChangeChannel changes = new ChangeChannel();

    private final Object writeLock = new Object();

    private final GroupCommit<Durable> group;

    /** Decoded summaries and expected hosts as last written (for writers), and as last synced (for readers). */
    private final Map<String, RepoState> latestSummaries = new ConcurrentHashMap<>();

    private final Map<String, Set<String>> latestExpected = new ConcurrentHashMap<>();

    private final Map<String, RepoState> durableSummaries = new ConcurrentHashMap<>();

    private final Map<String, Set<String>> durableExpected = new ConcurrentHashMap<>();

    private volatile long durableRevision;

    private final String storeId;

    public EmbeddedManifestStore(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        }
        catch (IOException ex) {
            throw new StoreUnavailable("cannot create data-dir " + dataDir, ex);
        }
        Path file = dataDir.resolve("manifest.mv.db");
        this.mv = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        this.meta = mv.openMap("meta");
        this.repos = mv.openMap("repos");
        this.hosts = mv.openMap("hosts");
        this.expected = mv.openMap("expected");
        this.rollouts = mv.openMap("rollouts");
        this.rolloutRepo = mv.openMap("rollout-repo");
        if (!meta.containsKey(STORE_ID)) {
            meta.put(STORE_ID, UUID.randomUUID().toString());
            meta.put(REVISION, "0");
            commit();
            log.info("event=store-created store=embedded file={} storeId={}", file, meta.get(STORE_ID));
        }
        this.storeId = meta.get(STORE_ID);
        this.durableRevision = Long.parseLong(meta.get(REVISION));
        repos.forEach((name, text) -> durableSummaries.put(name, codec.readRepo(text)));
        expected.forEach((name, text) -> durableExpected.put(name, codec.readHosts(text)));
        latestSummaries.putAll(durableSummaries);
        latestExpected.putAll(durableExpected);
        this.group = new GroupCommit<>(mv, writeLock, this::madeDurable);
        changes.knownUpTo(durableRevision);
        log.info("event=store-opened store=embedded file={} storeId={} revision={}", file, storeId, revision());
    }

    @Override
    public String storeId() {
        return storeId;
    }

    @Override
    public StoreHealth health() {
        return new StoreHealth(true, Map.of("store", "embedded", "storeId", storeId));
    }

    @Override
    public long revision() {
        return durableRevision;
    }

    @Override
    public Optional<RepoState> repo(String name) {
        return Optional.ofNullable(durableSummaries.get(name));
    }

    @Override
    public Set<String> expectedHosts(String repo) {
        return durableExpected.getOrDefault(repo, Set.of());
    }

    @Override
    public Optional<HostEntry> host(String repo, String host) {
        return Optional.ofNullable(hosts.get(hostKey(repo, host))).map(codec::readHost);
    }

    @Override
    public List<HostEntry> hosts(String repo) {
        List<HostEntry> entries = new ArrayList<>();
        String prefix = repo + "/";
        Cursor<String, String> cursor = hosts.cursor(prefix);
        while (cursor.hasNext()) {
            String key = cursor.next();
            if (!key.startsWith(prefix)) {
                break;
            }
            entries.add(codec.readHost(cursor.getValue()));
        }
        return entries;
    }

    @Override
    public Transition update(String repo, HostsRead reads, Mutation mutation) {
        long ticket;
        Durable durable;
        synchronized (writeLock) {
            group.checkUsable();
            long revision = Long.parseLong(meta.get(REVISION));
            Transition transition = mutation.apply(snapshot(repo, reads), revision + 1);
            if (!transition.changed()) {
                return transition;
            }
            durable = put(repo, transition, transition.desiredChanged() ? revision + 1 : revision);
            ticket = group.written(durable);
        }
        group.awaitDurable(ticket);
        // Announced in the writing thread, once durable and outside the lock: a listener may read the store.
        changes.publish(new Change.Written(durable.revision(), durable.transition()));
        return durable.transition();
    }

    /** What the machine is given: as last written, including writes whose sync is still running. */
    private RepoSnapshot snapshot(String repo, HostsRead reads) {
        RepoState state = latestSummaries.getOrDefault(repo, RepoState.empty(repo));
        List<HostEntry> read = reads.all() ? hosts(repo)
                : reads.host() == null ? List.of() : host(repo, reads.host()).map(List::of).orElse(List.of());
        return RepoSnapshot.of(state, latestExpected.getOrDefault(repo, Set.of()), read);
    }

    /**
     * Puts what {@code transition} changed and nothing else, to be committed with its group. Every value is encoded
     * first, so a put cannot fail half-way.
     */
    private Durable put(String repo, Transition transition, long newRevision) {
        RepoState written = transition.summaryChanged()
                ? transition.state().written(newRevision, transition.desiredChanged()) : transition.state();
        Transition.HostChanges changed = transition.hosts();
        Map<String, String> puts = new LinkedHashMap<>();
        for (HostEntry entry : changed.written()) {
            puts.put(hostKey(repo, entry.host()), codec.write(entry));
        }
        Map<String, String> history = new LinkedHashMap<>();
        for (Rollout rollout : transition.rollouts()) {
            history.put(key(rollout.repo(), rollout.id()), codec.write(rollout));
        }
        String summary = transition.summaryChanged() ? codec.write(written) : null;
        String hostSet = changed.expectedHosts() == null ? null : codec.write(changed.expectedHosts());

        if (summary != null) {
            repos.put(repo, summary);
            latestSummaries.put(repo, written);
        }
        puts.forEach(hosts::put);
        changed.dropFirst().forEach(host -> hosts.remove(hostKey(repo, host)));
        changed.dropAfter().forEach(host -> hosts.remove(hostKey(repo, host)));
        if (hostSet != null) {
            expected.put(repo, hostSet);
            latestExpected.put(repo, changed.expectedHosts());
        }
        history.forEach(rollouts::put);
        transition.rollouts().forEach(rollout -> rolloutRepo.put(rollout.id(), rollout.repo()));
        if (transition.desiredChanged()) {
            meta.put(REVISION, Long.toString(newRevision));
        }
        return new Durable(repo, newRevision, transition.stored(written), changed.expectedHosts());
    }

    /** A group is on disk: what agents are told moves to it, in the order it was written. */
    private void madeDurable(List<Durable> batch) {
        for (Durable write : batch) {
            if (write.transition().summaryChanged()) {
                durableSummaries.put(write.repo(), write.transition().state());
            }
            if (write.expectedHosts() != null) {
                durableExpected.put(write.repo(), write.expectedHosts());
            }
            durableRevision = Math.max(durableRevision, write.revision());
        }
    }

    /** One write, as it becomes durable. */
    private record Durable(String repo, long revision, Transition transition, Set<String> expectedHosts) {
    }

    @Override
    public List<Rollout> rollouts(String repo, int offset, int limit) {
        List<Rollout> page = new ArrayList<>();
        Iterator<String> keys = rollouts.keyIteratorReverse(repo + "/~");
        int skipped = 0;
        while (keys.hasNext() && page.size() < limit) {
            String key = keys.next();
            if (!key.startsWith(repo + "/")) {
                break;
            }
            if (skipped++ >= offset) {
                page.add(codec.readRollout(rollouts.get(key)));
            }
        }
        return page;
    }

    @Override
    public long rolloutCount(String repo) {
        return rollouts.keySet().stream().filter(k -> k.startsWith(repo + "/")).count();
    }

    @Override
    public Optional<Rollout> rollout(long id) {
        return Optional.ofNullable(rolloutRepo.get(id)).map(repo -> codec.readRollout(rollouts.get(key(repo, id))));
    }

    @Override
    public Changes changes() {
        return changes;
    }

    @Override
    public void close() {
        synchronized (writeLock) {
            mv.close();
        }
    }

    private void commit() {
        mv.commit();
        mv.sync();
    }

    private static String hostKey(String repo, String host) {
        return repo + "/" + host;
    }

    private static String key(String repo, long id) {
        return String.format("%s/%019d", repo, id);
    }
}

package org.lockstep.manifest.store.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.lockstep.manifest.change.Change;
import org.lockstep.manifest.change.ChangeChannel;
import org.lockstep.manifest.change.Changes;
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
 * The default store: one H2 MVStore file under {@code data-dir}. Writes are serialized by one lock and every write is
 * committed and synced to disk before {@link #update} returns, so nothing acknowledged is lost to a crash.
 */
public final class EmbeddedManifestStore implements ManifestStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedManifestStore.class);

    private static final String STORE_ID = "store-id";

    private static final String REVISION = "revision";

    private final MVStore mv;

    private final MVMap<String, String> meta;

    private final MVMap<String, String> repos;

    /** Key: repository name, a slash, the rollout id zero-padded, so a repository's rollouts sort by id. */
    private final MVMap<String, String> rollouts;

    /** Rollout id -> repository name. */
    private final MVMap<Long, String> rolloutRepo;

    private final StateCodec codec = new StateCodec();

    private final ChangeChannel changes = new ChangeChannel();

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
        this.rollouts = mv.openMap("rollouts");
        this.rolloutRepo = mv.openMap("rollout-repo");
        if (!meta.containsKey(STORE_ID)) {
            meta.put(STORE_ID, UUID.randomUUID().toString());
            meta.put(REVISION, "0");
            commit();
            log.info("event=store-created store=embedded file={} storeId={}", file, meta.get(STORE_ID));
        }
        this.storeId = meta.get(STORE_ID);
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
        return Long.parseLong(meta.get(REVISION));
    }

    @Override
    public Optional<RepoState> repo(String name) {
        return Optional.ofNullable(repos.get(name)).map(codec::readRepo);
    }

    @Override
    public Transition update(RepoState ifAbsent, Mutation mutation) {
        long newRevision;
        Transition transition;
        synchronized (this) {
            RepoState current = repo(ifAbsent.name()).orElse(ifAbsent);
            long revision = revision();
            transition = mutation.apply(current, revision + 1);
            if (!transition.changed()) {
                return transition;
            }
            newRevision = transition.desiredChanged() ? revision + 1 : revision;
            RepoState written = transition.state().written(newRevision, transition.desiredChanged());
            try {
                repos.put(written.name(), codec.write(written));
                for (Rollout rollout : transition.rollouts()) {
                    rollouts.put(key(rollout.repo(), rollout.id()), codec.write(rollout));
                    rolloutRepo.put(rollout.id(), rollout.repo());
                }
                meta.put(REVISION, Long.toString(newRevision));
                commit();
            }
            catch (RuntimeException ex) {
                mv.rollback();
                throw new StoreUnavailable("write of repository " + written.name() + " failed", ex);
            }
            transition = new Transition(written, true, transition.desiredChanged(), transition.rollouts(),
                    transition.result());
        }
        // Announced in the writing thread, outside the lock: a listener may read the store.
        changes.publish(new Change.Written(newRevision, transition));
        return transition;
    }

    @Override
    public List<Rollout> rollouts(String repo, int offset, int limit) {
        List<Rollout> page = new ArrayList<>();
        String key = mapLowerKey(repo + "/~");
        int skipped = 0;
        while (key != null && key.startsWith(repo + "/") && page.size() < limit) {
            if (skipped++ >= offset) {
                page.add(codec.readRollout(rollouts.get(key)));
            }
            key = mapLowerKey(key);
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
    public synchronized void close() {
        mv.close();
    }

    private String mapLowerKey(String key) {
        return rollouts.lowerKey(key);
    }

    private void commit() {
        mv.commit();
        mv.sync();
    }

    private static String key(String repo, long id) {
        return String.format("%s/%019d", repo, id);
    }
}

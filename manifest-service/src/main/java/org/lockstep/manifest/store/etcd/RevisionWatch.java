package org.lockstep.manifest.store.etcd;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.lockstep.manifest.change.Change;
import org.lockstep.manifest.change.ChangeChannel;
import org.lockstep.manifest.store.StoreUnavailable;
import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the store's {@link ChangeChannel} from two sides: this instance's own writes (at once, with what they wrote)
 * and the etcd watch on the revision key (every instance's revisions, this one's echoed). Both go through one
 * thread, so subscribers hear changes in the order they were announced; the channel drops a heard revision that is
 * not newer than one already announced, so each revision reaches them once, never backwards. Subscribers never run
 * on jetcd's threads, because they read etcd again and must not block its event loop.
 */
final class RevisionWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RevisionWatch.class);

    private static final long RESUBSCRIBE_DELAY_MS = 1000;

    private final Client client;

    private final EtcdKeys keys;

    private final EtcdCalls calls;

    private final ChangeChannel changes;

    private final ScheduledExecutorService announcer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "etcd-revision-watch");
        thread.setDaemon(true);
        return thread;
    });

    private volatile Watch.Watcher watcher;

    private volatile boolean closed;

    RevisionWatch(Client client, EtcdKeys keys, EtcdCalls calls, ChangeChannel changes) {
        this.client = client;
        this.keys = keys;
        this.calls = calls;
        this.changes = changes;
    }

    /** Starts watching after {@code etcdRevision}, at which the store's revision was {@code revision}. */
    void start(long revision, long etcdRevision) {
        changes.knownUpTo(revision);
        subscribe(etcdRevision + 1);
    }

    /** Announces {@code change} on the announcer thread. */
    void announce(Change change) {
        if (!closed) {
            announcer.execute(() -> changes.publish(change));
        }
    }

    private void subscribe(long fromEtcdRevision) {
        WatchOption option = WatchOption.builder().withRevision(fromEtcdRevision).build();
        watcher = client.getWatchClient().watch(keys.revision(), option,
                Watch.listener(this::onResponse, this::onError));
    }

    private void onResponse(WatchResponse response) {
        for (WatchEvent event : response.getEvents()) {
            if (event.getEventType() == WatchEvent.EventType.PUT) {
                announce(new Change.Heard(Long.parseLong(EtcdKeys.text(event.getKeyValue().getValue()))));
            }
        }
    }

    /** jetcd resumes a watch by itself after a lost connection; this is for the rest (e.g. compaction). */
    private void onError(Throwable error) {
        if (closed) {
            return;
        }
        log.warn("event=etcd-watch-lost error={}", LogText.quoted(error.toString()));
        log.debug("event=etcd-watch-lost stack trace", error);
        announcer.schedule(this::resubscribe, RESUBSCRIBE_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    /** Catches up with a fresh read, then watches from there, so nothing written in between is missed. */
    private void resubscribe() {
        if (closed) {
            return;
        }
        try {
            Watch.Watcher old = watcher;
            if (old != null) {
                old.close();
            }
            GetResponse current = calls.await(client.getKVClient().get(keys.revision()), "reading the revision");
            if (!current.getKvs().isEmpty()) {
                changes.publish(new Change.Heard(Long.parseLong(EtcdKeys.text(current.getKvs().get(0).getValue()))));
            }
            subscribe(current.getHeader().getRevision() + 1);
            log.info("event=etcd-watch-resumed revision={}", changes.newestRevision());
        }
        catch (StoreUnavailable ex) {
            log.warn("event=etcd-watch-resume-failed error={}", LogText.quoted(ex.getMessage()));
            announcer.schedule(this::resubscribe, RESUBSCRIBE_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        closed = true;
        Watch.Watcher current = watcher;
        if (current != null) {
            current.close();
        }
        announcer.shutdownNow();
    }
}

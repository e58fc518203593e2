package org.lockstep.manifest.store.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.h2.mvstore.MVStore;
import org.lockstep.manifest.store.StoreUnavailable;

/**
 * Group commit for the MVStore: writers that put their changes while a sync is running share the next one. Each
 * writer puts under the store's write lock and takes a ticket; then waits here until a sync covers its ticket. One
 * writer at a time leads: under the write lock it commits everything put so far (a new MVStore version, written to
 * the file), outside it syncs the file to disk, then marks every ticket up to its commit durable and hands their
 * results to {@code onDurable} (in ticket order), before anyone of them is released. So no write is acknowledged
 * before it is on disk, and a burst of reports costs one sync instead of one each.
 * <p>
 * A failed commit or sync fails every writer of the group and every later one: what was put but not synced cannot
 * be taken back from the MVStore alone, so the store refuses to go on rather than acknowledge on top of it.
 *
 * @param <R> what a writer's ticket carries to {@code onDurable}
 */
final class GroupCommit<R> {

    private final MVStore mv;

    private final Object writeLock;

    private final Consumer<List<R>> onDurable;

    /** Tickets handed out, and the results they carry that are not durable yet; guarded by {@code writeLock}. */
    private long written;

    private final List<R> notDurable = new ArrayList<>();

    /** Guarded by {@code this}. */
    private long durable;

    private boolean syncing;

    private StoreUnavailable failed;

    GroupCommit(MVStore mv, Object writeLock, Consumer<List<R>> onDurable) {
        this.mv = mv;
        this.writeLock = writeLock;
        this.onDurable = onDurable;
    }

    /** Called under the write lock once a writer's changes are put: its ticket. */
    long written(R result) {
        notDurable.add(result);
        return ++written;
    }

    /** Fails fast under the write lock if an earlier group failed. */
    void checkUsable() {
        synchronized (this) {
            if (failed != null) {
                throw new StoreUnavailable("the store failed to write earlier and takes no more writes: "
                        + failed.getMessage(), failed);
            }
        }
    }

    /** Returns once {@code ticket} is on disk; throws {@link StoreUnavailable} if its group could not be written. */
    void awaitDurable(long ticket) {
        while (true) {
            synchronized (this) {
                while (durable < ticket && syncing && failed == null) {
                    waitForTheLeader();
                }
                if (failed != null) {
                    throw new StoreUnavailable("write failed: " + failed.getMessage(), failed);
                }
                if (durable >= ticket) {
                    return;
                }
                syncing = true;
            }
            lead();
        }
    }

    private void lead() {
        long upTo = 0;
        StoreUnavailable failure = null;
        try {
            List<R> batch;
            synchronized (writeLock) {
                mv.commit();
                upTo = written;
                batch = new ArrayList<>(notDurable);
                notDurable.clear();
            }
            mv.sync();
            onDurable.accept(batch);
        }
        catch (RuntimeException ex) {
            failure = ex instanceof StoreUnavailable unavailable ? unavailable
                    : new StoreUnavailable("commit or sync of the store file failed", ex);
        }
        synchronized (this) {
            if (failure != null) {
                failed = failure;
            }
            else {
                durable = upTo;
            }
            syncing = false;
            notifyAll();
        }
    }

    private void waitForTheLeader() {
        try {
            wait();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailable("interrupted waiting for the store file to be synced", ex);
        }
    }
}

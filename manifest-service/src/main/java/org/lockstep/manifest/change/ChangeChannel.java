package org.lockstep.manifest.change;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manifest's one change channel. Each store owns one and publishes every durable write into it; the etcd store
 * also publishes the revisions other instances wrote. Waiting long-polls, metrics and (later) the page subscribe
 * through {@code RolloutService.changes()}.
 * <ul>
 * <li>Every write of this instance is announced once, after it is durable ({@link Change.Written}).</li>
 * <li>A revision heard from elsewhere ({@link Change.Heard}) is announced only if it is newer than every revision
 * announced so far: never backwards, however often the watch repeats it (it also echoes this instance's own
 * writes).</li>
 * <li>{@link Change#newRevision()} is true for exactly one change per revision, so a subscriber that fans out per
 * revision does so once, whichever of a write and its echo comes first.</li>
 * <li>A failing listener is logged and does not keep the change from the others.</li>
 * </ul>
 * Changes are announced on the publishing thread; see {@link ChangeListener} for slow subscribers.
 */
public final class ChangeChannel implements Changes {

    private static final Logger log = LoggerFactory.getLogger(ChangeChannel.class);

    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

    /** The newest revision announced (or known before anyone listened). */
    private final AtomicLong newest = new AtomicLong();

    @Override
    public Subscription subscribe(ChangeListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Revisions up to {@code revision} were known before anyone listened: they are never announced as heard. */
    public void knownUpTo(long revision) {
        newest.accumulateAndGet(revision, Math::max);
    }

    /** The newest revision announced so far. */
    @Override
    public long newestRevision() {
        return newest.get();
    }

    /** Announces {@code change} to every subscriber, unless it is a revision heard before (see the class comment). */
    public void publish(Change change) {
        long before = newest.getAndAccumulate(change.desiredChanged() ? change.revision() : 0, Math::max);
        boolean fresh = change.desiredChanged() && change.revision() > before;
        Change announced = change;
        if (change instanceof Change.Heard && !fresh) {
            return;
        }
        if (change instanceof Change.Written written && written.newRevision() != fresh) {
            announced = new Change.Written(written.revision(), written.transition(), fresh);
        }
        for (ChangeListener listener : listeners) {
            try {
                listener.changed(announced);
            }
            catch (RuntimeException ex) {
                log.warn("event=change-listener-failed revision={} listener={}", change.revision(),
                        listener.getClass().getName(), ex);
            }
        }
    }
}

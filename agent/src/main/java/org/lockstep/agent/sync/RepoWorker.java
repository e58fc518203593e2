package org.lockstep.agent.sync;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.lockstep.agent.git.GitFailure;
import org.lockstep.agent.release.VerifyFailed;
import org.lockstep.protocol.DesiredState.RepoDesired;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, for one repository, what to do about the latest desired state, and does the quick part at once: a
 * mailbox of size one ({@link #offer}: the newest desired state replaces any the worker has not looked at yet), and
 * {@link #reconcile}, which switches {@code current}, withdraws {@code next} and links a prepared target, then hands
 * out the slow part (a preparation, or pruning) as a task to run elsewhere, one at a time. A preparation is cancelled
 * when its commit stops being wanted, so neither another repository nor a newer target of this one ever holds up a
 * switch.
 *
 * <p>Nothing here is needed after a restart: every decision is taken from the disk ({@code current}, {@code next},
 * which releases are complete) and the desired state. What is kept in memory is only what to tell the manifest
 * (the {@link RepoStatus}) and when a failed commit may be tried again ({@link #mayTry}): a transient failure when
 * its backoff is over, a target that failed permanently only when the operator's retry generation grows, never in a
 * loop.
 */
final class RepoWorker {

    private static final Logger log = LoggerFactory.getLogger(RepoWorker.class);

    /**
     * What one {@link #reconcile} did, and the slow task the caller must run next.
     *
     * @param task       {@code null} for none
     * @param activation whether the task prepares the active commit (a host that cannot switch until it is done)
     */
    record Reconciled(List<SyncEvent> events, Runnable task, boolean activation) {

        static final Reconciled NOTHING = new Reconciled(List.of(), null, false);
    }

    private record Offer(RepoDesired wanted, long generation) {
    }

    private final RepoSync sync;

    private final String host;

    /** Held by whoever is on the control side: {@link #reconcile} or {@link #switchNow}, one at a time. */
    private final ReentrantLock control = new ReentrantLock();

    private final List<SyncEvent> pending = new ArrayList<>();

    private Offer latest;

    private long generation;

    private boolean dirty;

    private boolean stopped;

    private Preparation preparing;

    /** While pruning runs: what it keeps. Links may only be pointed at those meanwhile. */
    private Set<String> pruneKeeps;

    private boolean pruneDue = true;

    private long failedGeneration = -1;

    /** The retry time the control thread last woke for (see {@link #awaitWork}). */
    private Instant wokenFor;

    RepoWorker(RepoSync sync, String host) {
        this.sync = sync;
        this.host = host;
    }

    RepoSync sync() {
        return sync;
    }

    /** The newest desired state of this repository; replaces whatever was not looked at yet. */
    synchronized void offer(RepoDesired wanted) {
        latest = new Offer(wanted, ++generation);
        dirty = true;
        notifyAll();
    }

    /** Whether {@link #reconcile} has something to look at. */
    synchronized boolean dirty() {
        return dirty && latest != null;
    }

    /**
     * Blocks until there is something to reconcile, or a transient failure's backoff is over (then the latest desired
     * state is looked at again, once per failure); {@code false} once stopped.
     */
    synchronized boolean awaitWork() throws InterruptedException {
        while (!stopped && !(dirty && latest != null)) {
            Instant due = retryDue();
            long nanos = due == null ? 0 : Duration.between(sync.now(), due).toNanos();
            if (due == null) {
                wait();
            }
            else if (nanos > 0) {
                // Rounded up: woken even a fraction of a millisecond early, the retry would still be backing off
                // when looked at, and having woken for it, this would never wake for it again.
                wait(TimeUnit.NANOSECONDS.toMillis(nanos) + 1);
            }
            else {
                wokenFor = due;
                dirty = true;
            }
        }
        return !stopped;
    }

    /**
     * When the control thread must wake for a retry: a transient failure's next attempt, unless a task runs (this is
     * woken when it ends) or it woke for that one already (so a retry that cannot happen now never spins).
     */
    private synchronized Instant retryDue() {
        Instant due = sync.status().nextAttempt();
        return due == null || latest == null || busy() || due.equals(wokenFor) ? null : due;
    }

    /** Stops taking work and cancels the preparation in progress. */
    synchronized void stop() {
        stopped = true;
        if (preparing != null) {
            preparing.cancel();
        }
        notifyAll();
    }

    /** Whether a slow task (a preparation, pruning) is in progress. */
    synchronized boolean busy() {
        return preparing != null || pruneKeeps != null;
    }

    /**
     * One look at the latest desired state: activation first (swap {@code current} to a prepared active commit),
     * then withdrawal (a {@code next} nobody wants any more goes back to {@code current}), then a prepared target
     * is linked as {@code next}. Returns what happened and the slow task to run, in this order of priority: prepare
     * the active commit when it is not prepared (a new or rebuilt host), else the target, else prune. Quick: it never
     * fetches, writes or deletes a release, so call it from one thread (the repository's control thread) and run the
     * task on another.
     */
    Reconciled reconcile() {
        control.lock();
        try {
            return reconcileLocked();
        }
        finally {
            control.unlock();
        }
    }

    /**
     * The switch alone, at once, on the calling thread (the one that received the desired state), when nobody is on
     * the control side: it saves the hand-over to the control thread, which under load costs milliseconds, between
     * receiving {@code active} and {@code rename(2)}. Everything else is left to {@link #reconcile}, which this wakes.
     * Returns the switch, or empty when there was none to make here and now.
     */
    Optional<SyncEvent.Switched> switchNow() {
        if (!control.tryLock()) {
            return Optional.empty();
        }
        try {
            Offer offer;
            synchronized (this) {
                offer = latest;
                if (offer == null || stopped) {
                    return Optional.empty();
                }
            }
            String active = offer.wanted().active();
            String current = sync.current();
            if (active == null || active.equals(current) || !sync.prepared(active) || !mayLink(active)
                    || !mayTry(active, offer, false)) {
                return Optional.empty();
            }
            SyncEvent event;
            SyncEvent.Switched switched = null;
            try {
                switched = sync.switchTo(active, current);
                succeeded(active);
                event = switched;
            }
            catch (IOException | RuntimeException e) {
                event = failed(active, e, offer);
            }
            synchronized (this) {
                pending.add(event);
                pruneDue = true;
                dirty = true;
                notifyAll();
            }
            return Optional.ofNullable(switched);
        }
        finally {
            control.unlock();
        }
    }

    private Reconciled reconcileLocked() {
        Offer offer;
        List<SyncEvent> events;
        synchronized (this) {
            if (!dirty || latest == null) {
                return Reconciled.NOTHING;
            }
            dirty = false;
            offer = latest;
            events = new ArrayList<>(pending);
            pending.clear();
        }
        RepoDesired wanted = offer.wanted();
        String active = wanted.active();
        String target = wanted.target();
        String current = sync.current();
        boolean inPlace = active == null || active.equals(current);
        boolean failed = false;
        try {
            if (!inPlace && sync.prepared(active) && mayLink(active) && mayTry(active, offer, false)) {
                events.add(sync.switchTo(active, current));
                succeeded(active);
                current = active;
                inPlace = true;
            }
            events.addAll(sync.withdraw(target, current));
        }
        catch (IOException | RuntimeException e) {
            events.add(failed(active, e, offer));
            failed = true;
        }
        boolean linked = target == null || target.equals(sync.next());
        if (!failed && inPlace && !linked && sync.prepared(target) && mayLink(target)
                && mayTry(target, offer, false)) {
            try {
                events.add(sync.linkNext(target, wanted.rollout()));
                succeeded(target);
                linked = true;
            }
            catch (IOException | RuntimeException e) {
                events.add(failed(target, e, offer));
                failed = true;
            }
        }
        String toPrepare = null;
        if (!failed && !inPlace) {
            toPrepare = mayTry(active, offer, false) ? active : null;
        }
        else if (!failed && !linked && !sync.prepared(target)) {
            toPrepare = mayTry(target, offer, true) ? target : null;
        }
        Runnable task = next(toPrepare, wanted, offer, events.stream().anyMatch(SyncEvent::worthReporting));
        if (task == null && !failed && !busy()) {
            forgetUnwantedError(wanted);
        }
        return new Reconciled(events, task, task != null && !inPlace);
    }

    /** Under the lock: cancels a preparation nobody wants any more, or returns the task to start. */
    private synchronized Runnable next(String toPrepare, RepoDesired wanted, Offer offer, boolean linksChanged) {
        // A link moved: a release it pointed at may be beyond keep-releases now.
        pruneDue |= linksChanged;
        if (preparing != null) {
            boolean stillWanted = preparing.commit().equals(wanted.active())
                    || preparing.commit().equals(wanted.target());
            if (!stillWanted || toPrepare != null && !toPrepare.equals(preparing.commit())) {
                preparing.cancel();
            }
            return null;
        }
        if (stopped || pruneKeeps != null) {
            return null;
        }
        if (toPrepare != null) {
            Preparation preparation = new Preparation(toPrepare, wanted.branch(), offer.generation(),
                    retryOf(toPrepare, wanted));
            preparing = preparation;
            sync.status(now -> now.preparing(toPrepare));
            return () -> runPreparation(preparation);
        }
        if (pruneDue) {
            pruneDue = false;
            Set<String> keep = sync.protectedReleases(wanted);
            pruneKeeps = keep;
            return () -> runPrune(keep, offer);
        }
        return null;
    }

    /** While pruning runs, a link may only be pointed at a release it keeps (a rollback to an old one waits). */
    private synchronized boolean mayLink(String commit) {
        return pruneKeeps == null || pruneKeeps.contains(commit);
    }

    /** Nothing left to do: an error about a commit that is no longer wanted is not reported any more. */
    private void forgetUnwantedError(RepoDesired wanted) {
        String errorCommit = sync.status().errorCommit();
        if (errorCommit == null || !errorCommit.equals(wanted.active()) && !errorCommit.equals(wanted.target())) {
            sync.succeeded();
        }
    }

    /**
     * The slow part: fetch, materialize and verify {@code preparation}'s commit, on any thread but the control
     * thread. When it ends (done, failed or cancelled) the worker has something to reconcile again.
     */
    private void runPreparation(Preparation preparation) {
        SyncEvent failure = null;
        try {
            sync.prepare(preparation.commit(), preparation.branch(), preparation::checkpoint);
            sync.status(now -> now.preparing(null));
            succeeded(preparation.commit());
        }
        catch (Preparation.Cancelled e) {
            sync.status(now -> now.preparing(null));
            log.info("event=preparation-cancelled repo={} commit={} host={}", sync.repo(), preparation.commit(),
                    host);
        }
        catch (IOException | RuntimeException e) {
            failure = failed(preparation.commit(), e, preparation.generation(), preparation.retry());
        }
        synchronized (this) {
            preparing = null;
            pruneDue = true;
            if (failure != null) {
                pending.add(failure);
            }
            dirty = true;
            notifyAll();
        }
    }

    private void runPrune(Set<String> keep, Offer offer) {
        List<SyncEvent> events = new ArrayList<>();
        try {
            events.addAll(sync.prune(keep));
        }
        catch (IOException | RuntimeException e) {
            events.add(failed(offer.wanted().target(), e, offer));
        }
        synchronized (this) {
            pruneKeeps = null;
            pending.addAll(events);
            dirty = true;
            notifyAll();
        }
    }

    /**
     * Whether to try {@code commit} now: always, unless it is what the last error was about. Then a transient error
     * once its backoff is over (the control thread wakes for it by itself, {@link #awaitWork}); a permanent one as the
     * target only once the operator's retry generation grew past the one it failed at ({@link RepoStatus#gaveUpOn});
     * a permanent one as the active commit (which the host must serve) in a newer offer than the one it failed in.
     * Never in a loop.
     */
    private boolean mayTry(String commit, Offer offer, boolean target) {
        RepoStatus status = sync.status();
        if (!commit.equals(status.errorCommit())) {
            return true;
        }
        if (!status.permanent()) {
            return !status.backingOff(commit, sync.now());
        }
        if (target && status.gaveUpOn(commit, offer.wanted().retry())) {
            return false;
        }
        synchronized (this) {
            return offer.generation() > failedGeneration;
        }
    }

    /** The operator's retry generation a failure of {@code commit} happens at: the target's, 0 for any other. */
    private static long retryOf(String commit, RepoDesired wanted) {
        return commit != null && commit.equals(wanted.target()) ? wanted.retry() : 0;
    }

    private void succeeded(String commit) {
        if (commit.equals(sync.status().errorCommit())) {
            sync.succeeded();
        }
    }

    private SyncEvent.Failed failed(String commit, Exception e, Offer offer) {
        return failed(commit, e, offer.generation(), retryOf(commit, offer.wanted()));
    }

    private SyncEvent.Failed failed(String commit, Exception e, long offered, long retry) {
        boolean permanent = e instanceof VerifyFailed || e instanceof GitFailure g && g.permanent();
        synchronized (this) {
            failedGeneration = Math.max(failedGeneration, offered);
        }
        return sync.fail(commit, e.getClass().getSimpleName() + ": " + e.getMessage(), permanent, retry,
                SyncMetrics.kind(e), e);
    }
}

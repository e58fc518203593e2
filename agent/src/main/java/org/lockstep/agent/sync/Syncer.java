package org.lockstep.agent.sync;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.lockstep.agent.config.AgentProperties;
import org.lockstep.agent.release.ReleaseBuilder;
import org.lockstep.protocol.AgentReport.RepoReport;
import org.lockstep.protocol.DesiredState;
import org.lockstep.protocol.DesiredState.RepoDesired;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the disk in line with the desired state, one {@link RepoWorker} per configured repository. The running
 * agent {@link #start}s a {@link RepoRunner} (two threads) per repository and {@link #offer}s every desired state to
 * all of them, each acting on its own; {@link #syncOnce} does the same work to the end on the calling thread (every
 * repository's switch first, then the preparations), for tests and tools. Either way every decision is read from
 * disk, so killing the agent anywhere is safe. {@link #reports} may be called from any thread.
 */
public final class Syncer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Syncer.class);

    private final AgentProperties properties;

    private final Map<String, RepoWorker> workers = new TreeMap<>();

    private final Set<String> untouchable = ConcurrentHashMap.newKeySet();

    private final Map<String, RepoRunner> runners = new LinkedHashMap<>();

    private final Set<String> unknown = ConcurrentHashMap.newKeySet();

    private boolean closed;

    public Syncer(AgentProperties properties, HoldPoints hold, SyncMetrics metrics) {
        this(properties, hold, metrics, Clock.systemUTC());
    }

    /** With the clock failures and their backoff are measured on (tests move one by hand). */
    Syncer(AgentProperties properties, HoldPoints hold, SyncMetrics metrics, Clock clock) {
        this.properties = properties;
        ReleaseBuilder builder = new ReleaseBuilder(properties.verifyTimeout());
        for (String repo : properties.repos().keySet()) {
            workers.put(repo, new RepoWorker(new RepoSync(repo, properties, builder, hold, metrics, clock),
                    properties.host()));
        }
    }

    /** On start: adopt or fence off pre-Lockstep checkouts, remove crash leftovers, repair dangling links. */
    public void recover() {
        for (RepoWorker worker : workers.values()) {
            RepoSync sync = worker.sync();
            try {
                Recovery.recover(sync.layout(), properties.adoptExisting(), properties.host())
                        .ifPresent(refusal -> {
                            untouchable.add(sync.repo());
                            sync.fail(null, refusal, true, 0, "fenced", null);
                        });
            }
            catch (IOException | RuntimeException e) {
                sync.fail(null, "recovery failed: " + e.getMessage(), false, 0, "recovery", e);
            }
        }
    }

    /**
     * Acts on {@code desired} on this thread until nothing is left to do: every repository's switch (and the
     * preparation of an active commit a host lacks) before any repository prepares a newer target. Returns what
     * happened, in order.
     */
    public SyncResult syncOnce(DesiredState desired) {
        List<RepoWorker> offered = offerTo(desired);
        List<SyncEvent> events = new ArrayList<>();
        Deque<Runnable> tasks = new ArrayDeque<>();
        while (true) {
            for (RepoWorker worker : offered) {
                RepoWorker.Reconciled done = worker.reconcile();
                events.addAll(done.events());
                if (done.task() != null && done.activation()) {
                    tasks.addFirst(done.task());
                }
                else if (done.task() != null) {
                    tasks.addLast(done.task());
                }
            }
            if (!tasks.isEmpty()) {
                tasks.removeFirst().run();
            }
            else if (offered.stream().noneMatch(RepoWorker::dirty)) {
                return new SyncResult(events);
            }
        }
    }

    /** Starts one {@link RepoRunner} per repository it may touch; {@code reportSoon} is called after each change. */
    public synchronized void start(Runnable reportSoon) {
        for (RepoWorker worker : workers.values()) {
            if (!untouchable.contains(worker.sync().repo())) {
                RepoRunner runner = new RepoRunner(worker, reportSoon, properties.host());
                runners.put(worker.sync().repo(), runner);
                runner.start();
            }
        }
    }

    /** The worker of {@code repo}, for this package's tests (null for a repository not configured). */
    RepoWorker worker(String repo) {
        return workers.get(repo);
    }

    /** Hands {@code desired} to every repository's worker, which acts on it (or on a newer one) at once. */
    public void offer(DesiredState desired) {
        offerTo(desired);
    }

    /**
     * After {@link #offer}, on the thread that received the desired state: makes the first switch it asks for right
     * here, without waiting for that repository's control thread to be scheduled. One at most, so a switch of
     * another repository never waits for this one (their own threads make theirs meanwhile).
     */
    public void switchNow() {
        for (RepoRunner runner : runnersNow()) {
            if (runner.worker().switchNow().isPresent()) {
                return;
            }
        }
    }

    private synchronized List<RepoRunner> runnersNow() {
        return List.copyOf(runners.values());
    }

    /**
     * Stops every repository's threads: no more work is taken, preparations are cancelled at their next checkpoint.
     * Waits at most {@code bound}; returns whether everything stopped.
     */
    public synchronized boolean stop(Duration bound) {
        runners.values().forEach(RepoRunner::stop);
        long deadline = System.nanoTime() + bound.toNanos();
        boolean stopped = true;
        for (Map.Entry<String, RepoRunner> runner : runners.entrySet()) {
            try {
                if (!runner.getValue().await(deadline)) {
                    stopped = false;
                    log.warn("event=stop-timeout repo={} host={} bound={} hint=\"a fetch or verify command still"
                            + " running; the process exits anyway\"", runner.getKey(), properties.host(), bound);
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return stopped;
    }

    /**
     * The earliest time a transient failure is due to be retried, if one waits: a poll made meanwhile asks the
     * manifest to answer by then ({@code &wait=S}). The retry itself does not wait for it: its worker wakes for it.
     */
    public Optional<Instant> nextRetry() {
        return workers.values().stream().map(worker -> worker.sync().status().nextAttempt())
                .filter(Objects::nonNull).min(Instant::compareTo);
    }

    /** The state of every configured repository as the manifest should see it: links from disk, status from here. */
    public List<RepoReport> reports() {
        List<RepoReport> reports = new ArrayList<>();
        workers.values().forEach(worker -> reports.add(worker.sync().report()));
        return reports;
    }

    private List<RepoWorker> offerTo(DesiredState desired) {
        List<RepoWorker> offered = new ArrayList<>();
        for (RepoDesired wanted : desired.repos()) {
            RepoWorker worker = workers.get(wanted.repo());
            if (worker == null) {
                if (unknown.add(wanted.repo())) {
                    log.warn("event=repo-not-configured repo={} host={}", wanted.repo(), properties.host());
                }
            }
            else if (!untouchable.contains(wanted.repo())) {
                worker.offer(wanted);
                offered.add(worker);
            }
        }
        return offered;
    }

    /** Closes every mirror, once; one whose preparation did not stop in time is left to the process exit. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (RepoWorker worker : workers.values()) {
            if (!worker.busy()) {
                worker.sync().close();
            }
        }
    }
}

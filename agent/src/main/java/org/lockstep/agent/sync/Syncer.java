package org.lockstep.agent.sync;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.lockstep.agent.config.AgentProperties;
import org.lockstep.agent.git.FetchOutcome;
import org.lockstep.agent.git.GitFailure;
import org.lockstep.agent.git.GitMirror;
import org.lockstep.agent.release.Links;
import org.lockstep.agent.release.ReleaseBuilder;
import org.lockstep.agent.release.Releases;
import org.lockstep.agent.release.RepoLayout;
import org.lockstep.agent.release.Servable;
import org.lockstep.agent.release.VerifyFailed;
import org.lockstep.protocol.AgentReport.RepoReport;
import org.lockstep.protocol.DesiredState;
import org.lockstep.protocol.DesiredState.RepoDesired;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the disk in line with one desired state: {@link #syncOnce} activates, withdraws and prepares, in that
 * order, for every repository, and returns what happened. It reads {@code current} and {@code next} from disk
 * every time and keeps nothing in memory that a restart would need, so killing the agent anywhere is safe.
 * Only the sync thread calls {@link #recover} and {@link #syncOnce}; {@link #reports} may be called from any.
 */
public final class Syncer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Syncer.class);

    private final AgentProperties properties;

    private final ReleaseBuilder builder;

    private final HoldPoints hold;

    private final SyncMetrics metrics;

    private final Clock clock;

    private final Map<String, GitMirror> mirrors = new HashMap<>();

    private final Map<String, RepoStatus> statuses = new ConcurrentHashMap<>();

    private final Set<String> untouchable = ConcurrentHashMap.newKeySet();

    public Syncer(AgentProperties properties, HoldPoints hold, SyncMetrics metrics) {
        this(properties, hold, metrics, Clock.systemUTC());
    }

    Syncer(AgentProperties properties, HoldPoints hold, SyncMetrics metrics, Clock clock) {
        this.properties = properties;
        this.builder = new ReleaseBuilder(properties.verifyTimeout());
        this.hold = hold;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** On start: adopt or fence off pre-Lockstep checkouts, remove crash leftovers, repair dangling links. */
    public void recover() {
        for (String repo : properties.repos().keySet()) {
            try {
                Recovery.recover(layout(repo), properties.adoptExisting(), properties.host())
                        .ifPresent(refusal -> {
                            untouchable.add(repo);
                            fail(repo, null, refusal, true, 0, "fenced", null);
                        });
            }
            catch (IOException | RuntimeException e) {
                fail(repo, null, "recovery failed: " + e.getMessage(), false, 0, "recovery", e);
            }
        }
    }

    public SyncResult syncOnce(DesiredState desired) {
        List<SyncEvent> events = new ArrayList<>();
        List<RepoDesired> ours = desired.repos().stream().filter(this::serves).toList();
        Set<String> failed = new HashSet<>();
        // Every repository's switch first: a switch must never wait behind another repository's download.
        for (RepoDesired wanted : ours) {
            attempt(wanted, wanted.active(), events, failed, () -> {
                String current = activate(layout(wanted.repo()), wanted, events);
                withdraw(layout(wanted.repo()), wanted, current, events);
            });
        }
        for (RepoDesired wanted : ours) {
            if (failed.contains(wanted.repo())) {
                continue;
            }
            attempt(wanted, wanted.target(), events, failed, () -> {
                boolean held = prepareTarget(layout(wanted.repo()), wanted, events);
                prune(layout(wanted.repo()), wanted, events);
                if (!held) {
                    statuses.put(wanted.repo(), RepoStatus.IDLE);
                    metrics.outcome(wanted.repo(), false);
                }
            });
        }
        return new SyncResult(events);
    }

    private interface Step {
        void run() throws IOException;
    }

    private void attempt(RepoDesired wanted, String commit, List<SyncEvent> events, Set<String> failed, Step step) {
        try {
            step.run();
        }
        catch (IOException | RuntimeException e) {
            boolean permanent = e instanceof VerifyFailed || e instanceof GitFailure g && g.permanent();
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            long generation = Objects.equals(commit, wanted.target()) ? wanted.retry() : 0;
            events.add(fail(wanted.repo(), commit, message, permanent, generation, SyncMetrics.kind(e), e));
            failed.add(wanted.repo());
        }
    }

    /** Logs {@code event} (the one place sync events are logged) and adds it to what this sync did. */
    private void happened(SyncEvent event, List<SyncEvent> events) {
        SyncLog.log(event, properties.host(), null);
        events.add(event);
    }

    private boolean serves(RepoDesired wanted) {
        if (!properties.repos().containsKey(wanted.repo())) {
            log.warn("event=repo-not-configured repo={} host={}", wanted.repo(), properties.host());
            return false;
        }
        return !untouchable.contains(wanted.repo());
    }

    /** The state of every configured repository as the manifest should see it: links from disk, status from here. */
    public List<RepoReport> reports() {
        List<RepoReport> reports = new ArrayList<>();
        for (String repo : properties.repos().keySet()) {
            RepoLayout layout = layout(repo);
            RepoStatus status = statuses.getOrDefault(repo, RepoStatus.IDLE);
            reports.add(new RepoReport(repo, readRelease(layout, layout.current()), readRelease(layout, layout.next()),
                    status.preparing(), status.error(), status.errorCommit(),
                    Links.changedAt(layout.current()).orElse(null), status.error() == null ? null : status.permanent(),
                    status.errorSince(), status.error() == null ? 0 : status.retry()));
        }
        return reports;
    }

    /** Swaps {@code current} to the active commit, preparing it first on a new or rebuilt host. */
    private String activate(RepoLayout layout, RepoDesired wanted, List<SyncEvent> events) throws IOException {
        String current = readRelease(layout, layout.current());
        String active = wanted.active();
        if (active == null || active.equals(current)) {
            return current;
        }
        prepare(layout, active, wanted.branch());
        Links.point(layout.current(), active);
        metrics.switched(layout.repo());
        happened(new SyncEvent.Switched(layout.repo(), active, current), events);
        return active;
    }

    /** A commit {@code next} points to that is no longer desired must stop being served through read-through. */
    private void withdraw(RepoLayout layout, RepoDesired wanted, String current, List<SyncEvent> events)
            throws IOException {
        Optional<String> pointedAt = Links.commit(layout.next());
        Optional<String> repaired = Servable.repairNext(layout);
        if (repaired.isPresent()) {
            happened(new SyncEvent.NextRepaired(layout.repo(), pointedAt.orElse(null), repaired.get()), events);
        }
        String next = readRelease(layout, layout.next());
        if (next == null || next.equals(wanted.target()) || next.equals(current)) {
            return;
        }
        if (current != null) {
            Links.point(layout.next(), current);
        }
        else {
            Links.remove(layout.next());
        }
        happened(new SyncEvent.Withdrawn(layout.repo(), next, current), events);
    }

    /**
     * Prepares the target unless it is prepared already; returns whether it was held back on purpose: a permanent
     * failure not retried by the operator since, or a transient one still in its backoff (its error stays reported).
     */
    private boolean prepareTarget(RepoLayout layout, RepoDesired wanted, List<SyncEvent> events) throws IOException {
        String target = wanted.target();
        if (target == null || target.equals(readRelease(layout, layout.next()))) {
            return false;
        }
        RepoStatus status = statuses.getOrDefault(layout.repo(), RepoStatus.IDLE);
        if (status.gaveUpOn(target, wanted.retry()) || status.backingOff(target, clock.instant())) {
            return true;
        }
        prepare(layout, target, wanted.branch());
        hold.reached(HoldPoints.BEFORE_LINK, layout.repo(), target);
        Links.point(layout.next(), target);
        happened(new SyncEvent.Prepared(layout.repo(), target, wanted.rollout()), events);
        hold.reached(HoldPoints.BEFORE_REPORT, layout.repo(), target);
        return false;
    }

    private void prepare(RepoLayout layout, String commit, String branch) throws IOException {
        if (Releases.isComplete(layout, commit)) {
            return;
        }
        String repo = layout.repo();
        statuses.merge(repo, RepoStatus.IDLE.preparing(commit), (old, fresh) -> old.preparing(commit));
        long started = System.nanoTime();
        GitMirror mirror = mirror(layout);
        FetchOutcome fetched = mirror.fetch(commit, branch, () -> hold.reached(HoldPoints.FETCH, repo, commit));
        metrics.fetched(repo, fetched.bytes(), fetched.how() == FetchOutcome.How.BRANCH_FALLBACK,
                Duration.ofNanos(System.nanoTime() - started));
        log.info("event=fetched repo={} commit={} host={} how={} bytes={}", repo, commit, properties.host(),
                fetched.how(), fetched.bytes());
        mirror.pin(commit);
        builder.build(layout, mirror, commit, properties.repos().get(repo).verifyCommand(), (done, total) -> {
            if (done == Math.max(1, total / 2)) {
                hold.reached(HoldPoints.MATERIALIZE, repo, commit);
            }
        });
        metrics.prepared(repo, Duration.ofNanos(System.nanoTime() - started));
    }

    private void prune(RepoLayout layout, RepoDesired wanted, List<SyncEvent> events) throws IOException {
        Set<String> protect = new LinkedHashSet<>();
        for (String commit : new String[] {readRelease(layout, layout.current()), readRelease(layout, layout.next()),
                wanted.active(), wanted.target()}) {
            if (commit != null) {
                protect.add(commit);
            }
        }
        for (String removed : Releases.prune(layout, properties.keepReleases(), protect)) {
            mirror(layout).unpin(removed);
            happened(new SyncEvent.Pruned(layout.repo(), removed), events);
        }
    }

    /** The commit a link points at, or {@code null} when absent, foreign, dangling or not a release of ours. */
    private static String readRelease(RepoLayout layout, Path link) {
        return Servable.commit(layout, link).orElse(null);
    }

    /**
     * When the sync loop must look again, even if the manifest has nothing new: the earliest time a transient failure
     * is due to be retried.
     */
    public Optional<Instant> nextRetry() {
        return statuses.values().stream().map(RepoStatus::nextAttempt).filter(Objects::nonNull)
                .min(Instant::compareTo);
    }

    /** Records a failure in the status the next report carries, logs it, and returns it as an event. */
    private SyncEvent.Failed fail(String repo, String commit, String message, boolean permanent, long generation,
                                  String kind, Throwable cause) {
        statuses.put(repo, statuses.getOrDefault(repo, RepoStatus.IDLE).failed(message, commit, permanent,
                clock.instant(), generation, properties.backoffMax()));
        metrics.failed(repo, kind, permanent);
        SyncEvent.Failed failed = new SyncEvent.Failed(repo, commit, message, permanent);
        SyncLog.log(failed, properties.host(), cause);
        return failed;
    }

    private GitMirror mirror(RepoLayout layout) {
        return mirrors.computeIfAbsent(layout.repo(), repo -> GitMirror.open(layout.mirror(),
                properties.repos().get(repo).url(), properties.fetchTimeout()));
    }

    private RepoLayout layout(String repo) {
        return RepoLayout.of(properties.baseDir(), repo);
    }

    @Override
    public void close() {
        mirrors.values().forEach(GitMirror::close);
        mirrors.clear();
    }
}

package org.lockstep.agent.sync;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.lockstep.agent.config.AgentProperties;
import org.lockstep.agent.git.FetchOutcome;
import org.lockstep.agent.git.GitMirror;
import org.lockstep.agent.release.Links;
import org.lockstep.agent.release.ReleaseBuilder;
import org.lockstep.agent.release.Releases;
import org.lockstep.agent.release.RepoLayout;
import org.lockstep.agent.release.Servable;
import org.lockstep.protocol.AgentReport.RepoReport;
import org.lockstep.protocol.DesiredState.RepoDesired;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One repository's disk, one operation per method: its links, its releases, its mirror, and what the disk cannot say
 * (its {@link RepoStatus}). It decides nothing; {@link RepoWorker} does. Link changes are called from the repository's
 * control side only, {@link #prepare} and {@link #prune} (the slow ones, and the only users of the mirror) from its
 * background side only, one at a time; {@link #report} and {@link #status} may be called from any thread.
 */
final class RepoSync implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RepoSync.class);

    private final RepoLayout layout;

    private final AgentProperties properties;

    private final ReleaseBuilder builder;

    private final HoldPoints hold;

    private final SyncMetrics metrics;

    private final Clock clock;

    private volatile RepoStatus status = RepoStatus.IDLE;

    private GitMirror mirror;

    private boolean closed;

    RepoSync(String repo, AgentProperties properties, ReleaseBuilder builder, HoldPoints hold, SyncMetrics metrics,
             Clock clock) {
        this.layout = RepoLayout.of(properties.baseDir(), repo);
        this.properties = properties;
        this.builder = builder;
        this.hold = hold;
        this.metrics = metrics;
        this.clock = clock;
    }

    String repo() {
        return layout.repo();
    }

    RepoLayout layout() {
        return layout;
    }

    RepoStatus status() {
        return status;
    }

    /** The time on this agent's clock, the one failures and their backoff are measured on. */
    Instant now() {
        return clock.instant();
    }

    synchronized void status(UnaryOperator<RepoStatus> change) {
        status = change.apply(status);
    }

    /** The commit {@code current} serves, or {@code null} when absent, foreign or dangling. */
    String current() {
        return readRelease(layout.current());
    }

    /** The commit {@code next} points at, or {@code null}. */
    String next() {
        return readRelease(layout.next());
    }

    /** Whether {@code commit} has a complete release of this agent (its marker): only then may a link point at it. */
    boolean prepared(String commit) {
        return Releases.isComplete(layout, commit);
    }

    /** Swaps {@code current} to the prepared {@code commit}; the one step of a switch. */
    SyncEvent.Switched switchTo(String commit, String from) throws IOException {
        Links.point(layout.current(), commit);
        metrics.switched(repo());
        return happened(new SyncEvent.Switched(repo(), commit, from));
    }

    /**
     * A commit {@code next} points to that is no longer desired must stop being served through read-through; nor
     * may anything the agent did not build (repaired first). Returns what it did.
     */
    List<SyncEvent> withdraw(String target, String current) throws IOException {
        List<SyncEvent> events = new ArrayList<>();
        // Read-through serves what next points at: anything but a release this agent built goes at once.
        Optional<String> pointedAt = Links.commit(layout.next());
        Optional<String> repaired = Servable.repairNext(layout);
        if (repaired.isPresent()) {
            events.add(happened(new SyncEvent.NextRepaired(repo(), pointedAt.orElse(null), repaired.get())));
        }
        String next = next();
        if (next == null || next.equals(target) || next.equals(current)) {
            return events;
        }
        if (current != null) {
            Links.point(layout.next(), current);
        }
        else {
            Links.remove(layout.next());
        }
        events.add(happened(new SyncEvent.Withdrawn(repo(), next, current)));
        return events;
    }

    /** Links {@code next} to the prepared target: from now on the manifest may count this host ready. */
    SyncEvent.Prepared linkNext(String target, Long rollout) throws IOException {
        hold.reached(HoldPoints.BEFORE_LINK, repo(), target);
        Links.point(layout.next(), target);
        SyncEvent.Prepared prepared = happened(new SyncEvent.Prepared(repo(), target, rollout));
        hold.reached(HoldPoints.BEFORE_REPORT, repo(), target);
        return prepared;
    }

    /**
     * Fetch, pin, materialize and verify {@code commit} into {@code releases/<commit>} unless it exists; the slow
     * part. {@code checkpoint} is called between steps and after every file written: it throws to stop (a cancelled
     * preparation), and the half-written temporary directory is removed on the way out.
     */
    void prepare(String commit, String branch, Runnable checkpoint) throws IOException {
        if (prepared(commit)) {
            return;
        }
        String repo = repo();
        long started = System.nanoTime();
        GitMirror git = mirror();
        FetchOutcome fetched = git.fetch(commit, branch, () -> hold.reached(HoldPoints.FETCH, repo, commit));
        metrics.fetched(repo, fetched.bytes(), fetched.how() == FetchOutcome.How.BRANCH_FALLBACK,
                Duration.ofNanos(System.nanoTime() - started));
        log.info("event=fetched repo={} commit={} host={} how={} bytes={}", repo, commit, properties.host(),
                fetched.how(), fetched.bytes());
        checkpoint.run();
        git.pin(commit);
        builder.build(layout, git, commit, properties.repos().get(repo).verifyCommand(), (done, total) -> {
            checkpoint.run();
            if (done == Math.max(1, total / 2)) {
                hold.reached(HoldPoints.MATERIALIZE, repo, commit);
            }
        });
        metrics.prepared(repo, Duration.ofNanos(System.nanoTime() - started));
    }

    /** What pruning must keep now: the releases the links and {@code wanted} name. */
    Set<String> protectedReleases(RepoDesired wanted) {
        Set<String> protect = new LinkedHashSet<>();
        for (String commit : new String[] {current(), next(), wanted.active(), wanted.target()}) {
            if (commit != null) {
                protect.add(commit);
            }
        }
        return protect;
    }

    /** Removes releases beyond {@code keep-releases}, never one in {@code protect}; slow for a large release. */
    List<SyncEvent.Pruned> prune(Set<String> protect) throws IOException {
        List<SyncEvent.Pruned> pruned = new ArrayList<>();
        for (String removed : Releases.prune(layout, properties.keepReleases(), protect)) {
            mirror().unpin(removed);
            pruned.add(happened(new SyncEvent.Pruned(repo(), removed)));
        }
        return pruned;
    }

    /** The repository as the manifest should see it: links from disk, status from memory. */
    RepoReport report() {
        RepoStatus now = status;
        return new RepoReport(repo(), current(), next(), now.preparing(), now.error(), now.errorCommit(),
                Links.changedAt(layout.current()).orElse(null), now.error() == null ? null : now.permanent(),
                now.errorSince(), now.error() == null ? 0 : now.retry());
    }

    /** Records a failure in the status the next report carries, logs it, and returns it as an event. */
    SyncEvent.Failed fail(String commit, String message, boolean permanent, long retry, String kind,
                          Throwable cause) {
        // A failed switch says nothing about a preparation running meanwhile: that one still shows.
        Instant at = clock.instant();
        status(now -> {
            RepoStatus failed = now.failed(message, commit, permanent, at, retry, properties.backoffMax());
            return commit != null && commit.equals(now.preparing()) ? failed : failed.preparing(now.preparing());
        });
        metrics.failed(repo(), kind, permanent);
        SyncEvent.Failed failed = new SyncEvent.Failed(repo(), commit, message, permanent);
        SyncLog.log(failed, properties.host(), cause);
        return failed;
    }

    /** The last attempt succeeded: no error to report any more. */
    void succeeded() {
        status(now -> RepoStatus.IDLE.preparing(now.preparing()));
        metrics.outcome(repo(), false);
    }

    private <E extends SyncEvent> E happened(E event) {
        SyncLog.log(event, properties.host(), null);
        return event;
    }

    /** The commit a link points at, or {@code null} when absent, foreign, dangling or not a release of ours. */
    private String readRelease(Path link) {
        return Servable.commit(layout, link).orElse(null);
    }

    private synchronized GitMirror mirror() {
        if (closed) {
            throw new IllegalStateException("the agent is stopping; " + repo() + "'s mirror is closed");
        }
        if (mirror == null) {
            mirror = GitMirror.open(layout.mirror(), properties.repos().get(repo()).url(), properties.fetchTimeout());
        }
        return mirror;
    }

    /** Closes the mirror, once; nothing opens it again. */
    @Override
    public synchronized void close() {
        if (!closed && mirror != null) {
            mirror.close();
        }
        closed = true;
    }
}

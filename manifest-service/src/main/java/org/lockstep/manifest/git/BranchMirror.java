package org.lockstep.manifest.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TrackingRefUpdate;
import org.lockstep.manifest.rollout.machine.Command.Ancestry;
import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manifest's own bare mirror of one repository's branch, used to check that a target is on the branch and how it
 * relates to the active commit. The only place the manifest talks to JGit; JGit's exceptions become
 * {@link RemoteUnreachable} here.
 */
public final class BranchMirror implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BranchMirror.class);

    private static final Set<RefUpdate.Result> FAILED = EnumSet.of(RefUpdate.Result.LOCK_FAILURE,
            RefUpdate.Result.IO_FAILURE, RefUpdate.Result.REJECTED, RefUpdate.Result.REJECTED_CURRENT_BRANCH,
            RefUpdate.Result.REJECTED_MISSING_OBJECT, RefUpdate.Result.REJECTED_OTHER_REASON);

    private final String url;

    private final String branch;

    private final Duration timeout;

    private final Git git;

    /**
     * Opens the mirror at {@code dir}, creating it when missing. Lock files and incoming packs left by a process
     * killed in a fetch (or in JGit's automatic gc after one) are removed first: this instance is the mirror's only
     * writer and opens it once, so none of them can be live, and a stale {@code refs/heads/<branch>.lock} would
     * otherwise keep the branch from ever moving again.
     */
    BranchMirror(Path dir, String url, String branch, Duration timeout) throws IOException {
        this.url = url;
        this.branch = branch;
        this.timeout = timeout;
        try {
            if (Files.exists(dir.resolve("HEAD"))) {
                removeLeftovers(dir);
                this.git = Git.open(dir.toFile());
            }
            else {
                this.git = Git.init().setBare(true).setDirectory(dir.toFile()).call();
            }
            // JGit's automatic gc after a fetch runs in the background unless told not to, and holds the refs'
            // locks meanwhile: the next fetch would then fail to move the branch. Inside the fetch, it cannot.
            StoredConfig config = git.getRepository().getConfig();
            config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
            config.save();
        }
        catch (GitAPIException ex) {
            throw new IOException("cannot create mirror " + dir, ex);
        }
    }

    private static void removeLeftovers(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".lock") || name.startsWith("incoming_")) {
                    log.warn("event=mirror-leftover-removed path={}", LogText.quoted(file.toString()));
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Fetches the branch; returns its tip. */
    public synchronized String fetch() {
        try {
            FetchResult result = configure(git.fetch().setRemote(url)
                    .setRefSpecs(new RefSpec("+refs/heads/" + branch + ":refs/heads/" + branch))).call();
            for (TrackingRefUpdate update : result.getTrackingRefUpdates()) {
                if (FAILED.contains(update.getResult())) {
                    // JGit reports a ref it could not move in the result, not as an exception.
                    throw new RemoteUnreachable("fetched " + url + " but could not move " + update.getLocalName()
                            + " in the mirror: " + update.getResult(), null);
                }
            }
            ObjectId tip = git.getRepository().resolve("refs/heads/" + branch);
            if (tip == null) {
                throw new RemoteUnreachable("branch " + branch + " does not exist at " + url, null);
            }
            return tip.name();
        }
        catch (GitAPIException | IOException ex) {
            throw new RemoteUnreachable("cannot fetch branch " + branch + " from " + url + ": " + ex.getMessage(),
                    ex);
        }
    }

    /**
     * Whether {@code commit} is on the branch, fetching only when the mirror cannot already say yes: a commit that
     * is reachable from the branch tip as last fetched is answered from the mirror at once (no network, so
     * {@code PUT .../target} for it answers in milliseconds and even while the remote is down). Otherwise (the
     * commit is unknown, or known but not on the branch as last fetched, as after a force-push) the branch is
     * fetched once and the question asked again. The branch as last fetched can be behind the remote: a commit a
     * later force-push removed from the branch is still accepted until the next fetch (of an unknown commit, or by
     * the branch watcher) shows the new tip; it was on the branch, so it was merged once.
     */
    public synchronized boolean onBranch(String commit) {
        if (isOnBranch(commit)) {
            return true;
        }
        fetch();
        return isOnBranch(commit);
    }

    /** Whether {@code commit} is reachable from the branch tip as last fetched. */
    public synchronized boolean isOnBranch(String commit) {
        try {
            ObjectId tip = git.getRepository().resolve("refs/heads/" + branch);
            return tip != null && contains(tip.name(), commit).orElse(false);
        }
        catch (IOException ex) {
            throw new RemoteUnreachable("cannot read mirror of " + url + ": " + ex.getMessage(), ex);
        }
    }

    /** How {@code commit} relates to {@code active}; both must be in the mirror. */
    public synchronized Ancestry ancestry(String commit, String active) {
        if (active == null) {
            return Ancestry.NO_ACTIVE;
        }
        if (active.equals(commit)) {
            return Ancestry.SAME;
        }
        return contains(commit, active).orElse(false) ? Ancestry.DESCENDANT : Ancestry.NOT_DESCENDANT;
    }

    /**
     * Whether {@code commit} is {@code ancestor} or descends from it; empty when the mirror lacks either commit (a
     * later fetch may bring it, so the answer is not final). A known pair's answer never changes.
     */
    public synchronized Optional<Boolean> contains(String commit, String ancestor) {
        if (commit.equals(ancestor)) {
            return Optional.of(true);
        }
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            Optional<RevCommit> tip = parse(walk, commit);
            Optional<RevCommit> base = parse(walk, ancestor);
            if (tip.isEmpty() || base.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(walk.isMergedInto(base.get(), tip.get()));
        }
        catch (IOException ex) {
            throw new RemoteUnreachable("cannot read mirror of " + url + ": " + ex.getMessage(), ex);
        }
    }

    /** Subject, author and time of a commit in the mirror, for the status page. */
    public synchronized Optional<CommitInfo> describe(String commit) {
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            return parse(walk, commit).map(c -> new CommitInfo(c.name(), c.getShortMessage(),
                    c.getAuthorIdent().getName(), Instant.ofEpochSecond(c.getCommitTime())));
        }
        catch (IOException ex) {
            return Optional.empty();
        }
    }

    Repository repository() {
        return git.getRepository();
    }

    private static Optional<RevCommit> parse(RevWalk walk, String commit) throws IOException {
        try {
            return Optional.of(walk.parseCommit(ObjectId.fromString(commit)));
        }
        catch (MissingObjectException | IllegalArgumentException ex) {
            return Optional.empty();
        }
        catch (org.eclipse.jgit.errors.IncorrectObjectTypeException ex) {
            return Optional.empty();
        }
    }

    /** Every transport command goes through here: one place for timeouts (and, later, credentials). */
    private <C extends TransportCommand<C, ?>> C configure(C command) {
        return command.setTimeout((int) Math.max(1, timeout.toSeconds()));
    }

    @Override
    public synchronized void close() {
        git.close();
    }

    /** What a person wants to know about a commit at a glance. */
    public record CommitInfo(String id, String subject, String author, Instant time) {
    }
}

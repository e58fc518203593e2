package org.lockstep.agent.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.EmptyProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bare mirror of one repository, kept only to get commits from. Commits are fetched by id, so the agent gets
 * exactly what the manifest names even when the branch has moved on; servers that refuse unadvertised ids get a
 * branch fetch instead. Every prepared commit is pinned by a ref under {@code refs/lockstep/pins/} so that
 * {@code git gc} cannot remove it while a release of it exists.
 */
public final class GitMirror implements AutoCloseable {

    static final String PIN_PREFIX = "refs/lockstep/pins/";

    private static final Logger log = LoggerFactory.getLogger(GitMirror.class);

    private final Repository repository;

    private final Path dir;

    private final String url;

    private final Duration timeout;

    private GitMirror(Repository repository, Path dir, String url, Duration timeout) {
        this.repository = repository;
        this.dir = dir;
        this.url = url;
        this.timeout = timeout;
    }

    /**
     * Opens the mirror at {@code dir}, creating it when missing. Lock files and incoming packs left by a killed
     * fetch are removed first: this process is the mirror's only writer, so none of them can be live.
     */
    public static GitMirror open(Path dir, String url, Duration timeout) {
        try {
            if (!Files.isRegularFile(dir.resolve("HEAD"))) {
                // Absent, or a half-made mirror from a kill during init: it is only a cache, start again.
                deleteTree(dir);
                Git.init().setBare(true).setDirectory(dir.toFile()).call().close();
            }
            removeLeftovers(dir);
            Repository repository = new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
            // JGit's automatic gc after a fetch runs in the background unless told not to, holding ref locks a pin
            // made meanwhile would fail on; inside the fetch, on the repository's own worker, it cannot collide.
            StoredConfig config = repository.getConfig();
            config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
            config.save();
            return new GitMirror(repository, dir, url, timeout);
        }
        catch (IOException | GitAPIException e) {
            throw new MirrorBroken("cannot open mirror " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether the mirror has the commit with all it needs to be exported. */
    public boolean has(String commit) {
        try (RevWalk walk = new RevWalk(repository)) {
            walk.parseCommit(ObjectId.fromString(commit));
            return true;
        }
        catch (MissingObjectException | IncorrectObjectTypeException e) {
            return false;
        }
        catch (IOException e) {
            throw new MirrorBroken("cannot read mirror " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes sure the mirror has {@code commit}: by id first, then through {@code branch} (all branches when
     * {@code null}) when the server refuses the id.
     */
    public FetchOutcome fetch(String commit, String branch, Runnable transferStarted) {
        ProgressMonitor monitor = new StartMonitor(transferStarted);
        if (has(commit)) {
            return new FetchOutcome(FetchOutcome.How.ALREADY_PRESENT, 0);
        }
        long before = objectBytes();
        try {
            run(new RefSpec(commit), monitor);
            if (has(commit)) {
                return new FetchOutcome(FetchOutcome.How.BY_ID, objectBytes() - before);
            }
        }
        catch (GitAPIException e) {
            log.info("event=fetch-by-id-refused commit={} url={} fallback=branch reason={}", commit, url,
                    LogText.quoted(e.getMessage()));
        }
        RefSpec spec = branch == null
                ? new RefSpec("+refs/heads/*:refs/heads/*")
                : new RefSpec("+refs/heads/" + branch + ":refs/heads/" + branch);
        try {
            run(spec, monitor);
        }
        catch (InvalidRemoteException e) {
            throw new RemoteUnreachable("no repository at " + url + ": " + e.getMessage(), e);
        }
        catch (GitAPIException e) {
            throw new RemoteUnreachable("cannot fetch " + spec + " from " + url + ": " + e.getMessage(), e);
        }
        if (!has(commit)) {
            throw new CommitNotFound("commit " + commit + " is not at " + url + (branch == null ? "" : " on branch "
                    + branch));
        }
        return new FetchOutcome(FetchOutcome.How.BRANCH_FALLBACK, objectBytes() - before);
    }

    /** Keeps {@code commit} safe from garbage collection. */
    public void pin(String commit) {
        updatePin(commit, false);
    }

    /** Lets garbage collection take {@code commit} again once no release of it exists. */
    public void unpin(String commit) {
        updatePin(commit, true);
    }

    /** The commits pinned now. */
    public List<String> pins() {
        try {
            return repository.getRefDatabase().getRefsByPrefix(PIN_PREFIX).stream()
                    .map(ref -> ref.getName().substring(PIN_PREFIX.length())).sorted().toList();
        }
        catch (IOException e) {
            throw new MirrorBroken("cannot list refs of " + dir + ": " + e.getMessage(), e);
        }
    }

    /** For {@link TreeExporter}; nothing else reaches into the repository. */
    Repository repository() {
        return repository;
    }

    @Override
    public void close() {
        repository.close();
    }

    private void run(RefSpec spec, ProgressMonitor monitor) throws GitAPIException {
        configure(Git.wrap(repository).fetch())
                .setRemote(url)
                .setRefSpecs(spec)
                .setTagOpt(TagOpt.NO_TAGS)
                .setProgressMonitor(monitor)
                .call();
    }

    /** The one place every transport command is set up: timeout here, credentials would go here too. */
    private <C extends TransportCommand<C, ?>> C configure(C command) {
        return command.setTimeout((int) Math.max(1, timeout.toSeconds()));
    }

    private void updatePin(String commit, boolean delete) {
        try {
            RefUpdate update = repository.updateRef(PIN_PREFIX + commit);
            update.setForceUpdate(true);
            RefUpdate.Result result;
            if (delete) {
                result = update.delete();
            }
            else {
                update.setNewObjectId(ObjectId.fromString(commit));
                result = update.update();
            }
            if (result == RefUpdate.Result.LOCK_FAILURE || result == RefUpdate.Result.IO_FAILURE
                    || result == RefUpdate.Result.REJECTED) {
                throw new MirrorBroken("cannot " + (delete ? "unpin " : "pin ") + commit + " in " + dir + ": "
                        + result, null);
            }
        }
        catch (IOException e) {
            throw new MirrorBroken("cannot update pin of " + commit + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    private long objectBytes() {
        try (Stream<Path> files = Files.walk(dir.resolve("objects"))) {
            return files.filter(Files::isRegularFile).mapToLong(GitMirror::size).sum();
        }
        catch (IOException e) {
            return 0;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        }
        catch (IOException e) {
            return 0;
        }
    }

    private static void removeLeftovers(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".lock") || name.startsWith("incoming_")) {
                    log.warn("event=fetch-leftover-removed path={}", LogText.quoted(file.toString()));
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Tells the caller once that objects have started to arrive; used by crash tests to stop inside a fetch. */
    private static final class StartMonitor extends EmptyProgressMonitor {

        private final Runnable started;

        private boolean told;

        StartMonitor(Runnable started) {
            this.started = started;
        }

        @Override
        public void beginTask(String title, int totalWork) {
            if (!told) {
                told = true;
                started.run();
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
        catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}

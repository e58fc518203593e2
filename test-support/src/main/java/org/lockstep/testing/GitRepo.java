package org.lockstep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.RefSpec;

/**
 * A real git repository on disk, built with JGit's porcelain: write files, executables and symbolic links into the
 * working tree, commit, branch, merge, push to a bare repository. What the porcelain refuses to make (duplicate
 * entries, a {@code .git} entry, names with a slash) is committed through {@link #commitTree}. JGit here and every
 * git child process run under {@link IsolatedGit}. Commits are on {@value #BRANCH} unless a branch is checked out.
 */
public final class GitRepo implements AutoCloseable {

    public static final String BRANCH = "main";

    static {
        IsolatedGit.install();
    }

    private final Path dir;

    private final Git git;

    private final Map<String, ObjectId> gitlinks = new LinkedHashMap<>();

    private GitRepo(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    /** A new repository with a working tree in {@code dir}, on {@value #BRANCH}. */
    public static GitRepo init(Path dir) {
        return init(dir, false);
    }

    /** A new bare repository in {@code dir} (e.g. {@code served/schemas.git}), HEAD on {@value #BRANCH}. */
    public static GitRepo initBare(Path dir) {
        return init(dir, true);
    }

    /** An existing repository, bare or not. */
    public static GitRepo open(Path dir) {
        try {
            return new GitRepo(dir, Git.open(dir.toFile()));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static GitRepo init(Path dir, boolean bare) {
        try {
            Files.createDirectories(dir);
            return new GitRepo(dir, Git.init().setDirectory(dir.toFile()).setBare(bare).setInitialBranch(BRANCH)
                    .call());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (GitAPIException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The {@code file://} URL to fetch from. */
    public String url() {
        return dir.toUri().toString();
    }

    /** JGit's repository, for what this class does not cover. */
    public Repository repository() {
        return git.getRepository();
    }

    /** Writes a regular file (parents created, a link or file at the path replaced). */
    public GitRepo write(String path, String content) {
        return write(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public GitRepo write(String path, byte[] content) {
        try {
            Path file = prepare(path);
            Files.write(file, content);
            return this;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Writes a file with the executable bit set (committed as mode 100755). */
    public GitRepo executable(String path, String content) {
        write(path, content);
        try {
            Files.setPosixFilePermissions(dir.resolve(path), PosixFilePermissions.fromString("rwxr-xr-x"));
            return this;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Makes {@code path} a symbolic link to {@code target}, which may be relative, absolute, or lead nowhere. */
    public GitRepo symlink(String path, String target) {
        try {
            Files.createSymbolicLink(prepare(path), Path.of(target));
            return this;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Removes a file, link or directory from the working tree; the next commit records it gone. */
    public GitRepo delete(String path) {
        Dirs.delete(worktree().resolve(path));
        return this;
    }

    /** A submodule entry ({@code 160000}) at {@code path}, as {@code git submodule add} leaves it, in every commit. */
    public GitRepo gitlink(String path, String commit) {
        gitlinks.put(path, ObjectId.fromString(commit));
        return this;
    }

    /** Commits the whole working tree (new, changed and deleted files) on the current branch; returns the id. */
    public String commit(String message) {
        return commitAs(message, IsolatedGit.NAME, Instant.now());
    }

    /** {@link #commit} with this author and committer at {@code when} (e-mail made from the name). */
    public synchronized String commitAs(String message, String author, Instant when) {
        try {
            stageAll();
            PersonIdent ident = person(author, when);
            return git.commit().setMessage(message).setAuthor(ident).setCommitter(ident).setSign(false)
                    .setAllowEmpty(true).call().name();
        }
        catch (GitAPIException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Commits on {@code branch} (created at HEAD if new), then goes back to the branch that was checked out. */
    public synchronized String commitOn(String branch, String message) {
        String back = currentBranch();
        checkout(branch);
        try {
            return commit(message);
        }
        finally {
            checkout(back);
        }
    }

    /** Creates {@code name} at HEAD without checking it out. */
    public synchronized GitRepo branch(String name) {
        try {
            git.branchCreate().setName(name).call();
            return this;
        }
        catch (GitAPIException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Checks out {@code name}, creating it at HEAD when it does not exist. */
    public synchronized GitRepo checkout(String name) {
        try {
            boolean exists = repository().findRef(Constants.R_HEADS + name) != null;
            if (repository().resolve(Constants.HEAD) == null) {
                repository().updateRef(Constants.HEAD).link(Constants.R_HEADS + name);
                return this;
            }
            git.checkout().setName(name).setCreateBranch(!exists).call();
            return this;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (GitAPIException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Merges {@code branch} into the current branch with a merge commit (never a fast-forward); returns its id. */
    public synchronized String merge(String branch, String message) {
        try {
            var result = git.merge().include(repository().resolve(Constants.R_HEADS + branch)).setCommit(false)
                    .setFastForward(MergeCommand.FastForwardMode.NO_FF).call();
            if (!result.getMergeStatus().isSuccessful()) {
                throw new IllegalStateException("merge of " + branch + " failed: " + result);
            }
            PersonIdent ident = person(IsolatedGit.NAME, Instant.now());
            return git.commit().setMessage(message).setAuthor(ident).setCommitter(ident).setSign(false).call()
                    .name();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (GitAPIException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Commits a tree built entry by entry with JGit's {@code ObjectInserter} and {@code TreeFormatter}, on top of
     * the current branch, without touching the working tree or index: the way to make trees the porcelain refuses
     * (see {@link CraftedTree}). Returns the commit id.
     */
    public synchronized String commitTree(String message, Consumer<CraftedTree> tree) {
        try (var inserter = repository().newObjectInserter()) {
            CraftedTree root = new CraftedTree(repository(), inserter);
            tree.accept(root);
            ObjectId treeId = root.write();
            ObjectId parent = repository().resolve(Constants.HEAD);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(treeId);
            if (parent != null) {
                commit.setParentId(parent);
            }
            PersonIdent ident = person(IsolatedGit.NAME, Instant.now());
            commit.setAuthor(ident);
            commit.setCommitter(ident);
            commit.setMessage(message);
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            var update = repository().updateRef(Constants.HEAD);
            update.setNewObjectId(id);
            update.setForceUpdate(true);
            update.setRefLogMessage("commitTree: " + message, false);
            switch (update.update()) {
                case NEW, FAST_FORWARD, FORCED, NO_CHANGE -> {
                    return id.name();
                }
                default -> throw new IllegalStateException("could not move HEAD to " + id.name());
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The commit {@code revision} (a branch, {@code HEAD~1}, an id) names, as a full id. */
    public String resolve(String revision) {
        try {
            ObjectId id = repository().resolve(revision);
            if (id == null) {
                throw new IllegalArgumentException("no such revision: " + revision);
            }
            return id.name();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public String head() {
        return resolve(Constants.HEAD);
    }

    /** A bare clone in {@code into}, as a git server would hold it. */
    public GitRepo cloneBare(Path into) {
        try {
            return new GitRepo(into, Git.cloneRepository().setURI(url()).setDirectory(into.toFile()).setBare(true)
                    .call());
        }
        catch (GitAPIException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Pushes every branch to {@code remote} (usually a bare repository made with {@link #initBare}). */
    public synchronized GitRepo push(GitRepo remote) {
        try {
            git.push().setRemote(remote.url()).setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*")).call();
            return this;
        }
        catch (GitAPIException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Sets {@code section.name} (e.g. {@code uploadpack.allowReachableSHA1InWant}) in this repository's config. */
    public GitRepo config(String section, String name, String value) {
        try {
            StoredConfig config = repository().getConfig();
            config.setString(section, null, name, value);
            config.save();
            return this;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** {@code git archive <commit> | tar -x} into {@code into}: the reference a release must equal. */
    public Path archive(String commit, Path into) {
        try {
            Files.createDirectories(into);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Processes.run(dir, "bash", "-o", "pipefail", "-c",
                "git -C \"$1\" archive --format=tar \"$2\" | tar -xf - -C \"$3\"", "archive", dir.toString(), commit,
                into.toString());
        return into;
    }

    /** Runs the git CLI in this repository (isolated like everything else), for what only the CLI does. */
    public String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        return Processes.run(dir, command.toArray(String[]::new));
    }

    @Override
    public void close() {
        git.close();
    }

    @Override
    public String toString() {
        return dir.toString();
    }

    private void stageAll() throws GitAPIException {
        git.add().addFilepattern(".").setAll(true).call();
        if (gitlinks.isEmpty()) {
            return;
        }
        try {
            DirCache index = repository().lockDirCache();
            try {
                DirCacheEditor editor = index.editor();
                gitlinks.forEach((path, id) -> editor.add(new DirCacheEditor.PathEdit(path) {

                    @Override
                    public void apply(DirCacheEntry entry) {
                        entry.setFileMode(FileMode.GITLINK);
                        entry.setObjectId(id);
                    }
                }));
                editor.commit();
            }
            finally {
                index.unlock();
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private Path prepare(String path) throws IOException {
        Path file = worktree().resolve(path);
        Files.createDirectories(file.getParent());
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            Dirs.delete(file);
        }
        Files.deleteIfExists(file);
        return file;
    }

    private Path worktree() {
        if (repository().isBare()) {
            throw new IllegalStateException(dir + " is bare: write with commitTree or push from a working clone");
        }
        return dir;
    }

    private String currentBranch() {
        try {
            return repository().getBranch();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static PersonIdent person(String name, Instant when) {
        String email = name.equals(IsolatedGit.NAME) ? IsolatedGit.EMAIL
                : name.toLowerCase(Locale.ROOT).replace(' ', '.') + "@example.org";
        return new PersonIdent(name, email, when, ZoneOffset.UTC);
    }
}

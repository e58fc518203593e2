package org.lockstep.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.lockstep.testing.CraftedTree;
import org.lockstep.testing.GitRepo;

/**
 * Writes a generated repository with test-support's {@link GitRepo}: blobs go into the object store as they are
 * generated (only their ids are kept: a 20,000-file repository does not fit the agent's 48 MB heap, in which the
 * benchmark runs), and each commit's tree is written entry by entry ({@link GitRepo#commitTree}), with no work tree
 * to create on a disk that is slow at creating files. The result is a bare repository packed into one pack with
 * deltas, as a git server keeps it.
 */
final class RepoWriter implements AutoCloseable {

    /** A directory of the tree being built: name to {@link Leaf} or {@link Dir}. */
    private static final class Dir {

        final Map<String, Object> entries = new HashMap<>();
    }

    private record Leaf(FileMode mode, ObjectId id) {
    }

    private final GitRepo repo;

    private final ObjectInserter inserter;

    private final Dir root = new Dir();

    private final List<String> commits = new ArrayList<>();

    RepoWriter(Path dir) {
        this.repo = GitRepo.initBare(dir);
        this.inserter = repo.repository().newObjectInserter();
    }

    RepoWriter file(String path, String text) {
        return put(path, FileMode.REGULAR_FILE, text);
    }

    RepoWriter executable(String path, String text) {
        return put(path, FileMode.EXECUTABLE_FILE, text);
    }

    RepoWriter symlink(String path, String target) {
        return put(path, FileMode.SYMLINK, target);
    }

    /** Commits the tree as it is now on top of the commit before. */
    RepoWriter commit(String message) {
        try {
            inserter.flush();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        commits.add(repo.commitTree(message, tree -> emit(tree, root)));
        return this;
    }

    /** Packs everything into one pack (as a server has it) and returns the commits in order. */
    String[] done() {
        repo.git("repack", "-adq");
        // Both sides fetch by id; git's protocol v2 allows any id already, JGit's upload-pack only with this.
        repo.config("uploadpack", "allowAnySHA1InWant", "true");
        return commits.toArray(String[]::new);
    }

    @Override
    public void close() {
        inserter.close();
        repo.close();
    }

    private RepoWriter put(String path, FileMode mode, String content) {
        ObjectId id;
        try {
            id = inserter.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] parts = path.split("/");
        Dir dir = root;
        for (int i = 0; i < parts.length - 1; i++) {
            dir = (Dir) dir.entries.computeIfAbsent(parts[i], name -> new Dir());
        }
        dir.entries.put(parts[parts.length - 1], new Leaf(mode, id));
        return this;
    }

    /** Entries in git's order: names compared as bytes, a directory's as if it ended in a slash. */
    private static void emit(CraftedTree tree, Dir dir) {
        List<String> names = new ArrayList<>(dir.entries.keySet());
        names.sort((a, b) -> sortKey(dir, a).compareTo(sortKey(dir, b)));
        for (String name : names) {
            Object entry = dir.entries.get(name);
            if (entry instanceof Leaf leaf) {
                tree.entry(name, leaf.mode(), leaf.id());
            }
            else {
                tree.tree(name, sub -> emit(sub, (Dir) entry));
            }
        }
    }

    /** The generated names are ASCII, where comparing strings is comparing bytes. */
    private static String sortKey(Dir dir, String name) {
        return dir.entries.get(name) instanceof Dir ? name + "/" : name;
    }
}

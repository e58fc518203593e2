package org.lockstep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * One tree object written entry by entry, exactly in the order given and with the names given: nothing is sorted,
 * checked or de-duplicated, so a test can make what a hostile server could send (two entries with one name, a
 * {@code .git} directory, {@code ..}, a name with a slash, a submodule). Built through
 * {@link GitRepo#commitTree(String, Consumer)}.
 */
public final class CraftedTree {

    private final Repository repository;

    private final ObjectInserter inserter;

    private final List<Entry> entries = new ArrayList<>();

    CraftedTree(Repository repository, ObjectInserter inserter) {
        this.repository = repository;
        this.inserter = inserter;
    }

    private record Entry(byte[] name, FileMode mode, ObjectId id) {
    }

    /** A regular file (100644). */
    public CraftedTree file(String name, String content) {
        return entry(name, FileMode.REGULAR_FILE, blob(content.getBytes(StandardCharsets.UTF_8)));
    }

    public CraftedTree file(String name, byte[] content) {
        return entry(name, FileMode.REGULAR_FILE, blob(content));
    }

    /** A regular file whose name is exactly these bytes (which need not be UTF-8). */
    public CraftedTree file(byte[] rawName, byte[] content) {
        entries.add(new Entry(rawName.clone(), FileMode.REGULAR_FILE, blob(content)));
        return this;
    }

    /** An executable file (100755). */
    public CraftedTree executable(String name, String content) {
        return entry(name, FileMode.EXECUTABLE_FILE, blob(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** A symbolic link (120000) to {@code target}. */
    public CraftedTree symlink(String name, String target) {
        return entry(name, FileMode.SYMLINK, blob(target.getBytes(StandardCharsets.UTF_8)));
    }

    /** A submodule entry (160000) pointing at {@code commit}, which need not exist here. */
    public CraftedTree gitlink(String name, String commit) {
        return entry(name, FileMode.GITLINK, ObjectId.fromString(commit));
    }

    /** A subdirectory whose entries {@code content} adds. */
    public CraftedTree tree(String name, Consumer<CraftedTree> content) {
        CraftedTree sub = new CraftedTree(repository, inserter);
        content.accept(sub);
        return entry(name, FileMode.TREE, sub.write());
    }

    /** Any entry at all, e.g. a mode git never writes. */
    public CraftedTree entry(String name, FileMode mode, ObjectId id) {
        entries.add(new Entry(name.getBytes(StandardCharsets.UTF_8), mode, id));
        return this;
    }

    /** Adds the top-level entries of {@code commit}'s tree, e.g. to put a hostile entry beside normal content. */
    public CraftedTree copyOf(String commit) {
        try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
            RevCommit parsed = walk.parseCommit(ObjectId.fromString(commit));
            tree.addTree(parsed.getTree());
            tree.setRecursive(false);
            while (tree.next()) {
                entries.add(new Entry(tree.getRawPath(), tree.getFileMode(0), tree.getObjectId(0)));
            }
            return this;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    ObjectId write() {
        TreeFormatter formatter = new TreeFormatter();
        for (Entry entry : entries) {
            formatter.append(entry.name(), entry.mode(), entry.id());
        }
        try {
            return inserter.insert(formatter);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private ObjectId blob(byte[] content) {
        try {
            return inserter.insert(Constants.OBJ_BLOB, content);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

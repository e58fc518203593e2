package org.lockstep.agent.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * Everything an export will write, worked out in memory before the first byte is written: every tree of the commit
 * passes git's own object checks ({@link ObjectChecker}: a name twice, {@code .git} in every spelling NTFS or HFS+
 * folds to it, bad modes, unsorted entries), every name is exactly representable, and each entry knows whether the
 * previous release has it unchanged. Trees are walked side by side with the previous commit's, so comparing costs
 * in proportion to what changed: a subtree with the same id is unchanged as a whole, without looking inside the
 * previous side.
 */
final class TreePlan {

    /** What an entry is on disk. */
    enum Kind { FILE, EXECUTABLE, SYMLINK }

    /**
     * One file or symlink.
     *
     * @param sameAsPrevious the previous commit has this path with the same mode and blob
     */
    record Entry(String path, Kind kind, ObjectId blob, boolean sameAsPrevious) {
    }

    /** An entry of the previous commit's tree at the same place. */
    private record Before(boolean tree, int mode, ObjectId id) {
    }

    private final String commit;

    private final ObjectReader reader;

    private final Names names;

    private final ObjectChecker checker = new ObjectChecker().setSafeForWindows(true).setSafeForMacOS(true)
            // git fsck only warns about zero-padded modes, which old tools wrote; they materialize the same.
            .setIgnore(ObjectChecker.ErrorType.ZERO_PADDED_FILEMODE, true);

    private final List<String> dirs = new ArrayList<>();

    private final List<Entry> entries = new ArrayList<>();

    private final Map<String, String> links = new HashMap<>();

    private final Map<ObjectId, String> targets = new HashMap<>();

    private TreePlan(String commit, ObjectReader reader, Names names) {
        this.commit = commit;
        this.reader = reader;
        this.names = names;
    }

    /** Plans the export of {@code tree}; {@code previousTree} (or {@code null}) is the tree of the previous release. */
    static TreePlan of(ObjectReader reader, String commit, ObjectId tree, ObjectId previousTree, Names names)
            throws IOException {
        TreePlan plan = new TreePlan(commit, reader, names);
        plan.walk("", tree, previousTree);
        return plan;
    }

    /** Directories to make, parents before children. */
    List<String> dirs() {
        return dirs;
    }

    /** Files and symlinks, in git's order. */
    List<Entry> entries() {
        return entries;
    }

    /** Symlink path to target. */
    Map<String, String> links() {
        return links;
    }

    private void walk(String prefix, ObjectId tree, ObjectId previousTree) throws IOException {
        byte[] raw = reader.open(tree, Constants.OBJ_TREE).getCachedBytes();
        try {
            checker.checkTree(tree, raw);
        }
        catch (CorruptObjectException e) {
            throw new MalformedTree("commit " + commit + " has a tree that git fsck refuses at "
                    + (prefix.isEmpty() ? "the top" : prefix + "/") + ": " + e.getMessage()
                    + "; nothing of it is written", e);
        }
        boolean unchanged = tree.equals(previousTree);
        Map<String, Before> previous = unchanged || previousTree == null ? Map.of() : entriesOf(previousTree);
        CanonicalTreeParser parser = new CanonicalTreeParser();
        parser.reset(raw);
        String where = prefix.isEmpty() ? "" : prefix + "/";
        for (; !parser.eof(); parser.next()) {
            String name = names.decode(commit, where, parser.getEntryPathBuffer(), parser.getNameOffset(),
                    parser.getNameLength());
            String path = where + name;
            FileMode mode = parser.getEntryFileMode();
            ObjectId id = parser.getEntryObjectId();
            Before before = previous.get(name);
            if (mode == FileMode.TREE) {
                dirs.add(path);
                walk(path, id, unchanged ? id : before == null || !before.tree() ? null : before.id());
            }
            else if (mode == FileMode.GITLINK) {
                throw new SubmoduleNotSupported("commit " + commit + " has a submodule at " + path
                        + "; submodules are not supported, vendor the content instead");
            }
            else if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE || mode == FileMode.SYMLINK) {
                boolean same = unchanged || before != null && !before.tree()
                        && before.mode() == parser.getEntryRawMode() && before.id().equals(id);
                Kind kind = mode == FileMode.SYMLINK ? Kind.SYMLINK
                        : mode == FileMode.EXECUTABLE_FILE ? Kind.EXECUTABLE : Kind.FILE;
                entries.add(new Entry(path, kind, id, same));
                if (kind == Kind.SYMLINK) {
                    links.put(path, target(id, path));
                }
            }
            else {
                throw new UnsafePath("commit " + commit + " has an entry of unsupported mode " + mode + " at " + path);
            }
        }
    }

    /** The entries of one of the previous commit's trees, by name. */
    private Map<String, Before> entriesOf(ObjectId tree) throws IOException {
        Map<String, Before> entries = new HashMap<>();
        CanonicalTreeParser parser = new CanonicalTreeParser();
        parser.reset(reader.open(tree, Constants.OBJ_TREE).getCachedBytes());
        for (; !parser.eof(); parser.next()) {
            int mode = parser.getEntryRawMode();
            entries.put(new String(parser.getEntryPathBuffer(), parser.getNameOffset(), parser.getNameLength(),
                    StandardCharsets.UTF_8), new Before(FileMode.TREE.equals(mode), mode, parser.getEntryObjectId()));
        }
        return entries;
    }

    /** A symlink's target; the same blob (the same target) is read once per export. */
    private String target(ObjectId blob, String path) throws IOException {
        String known = targets.get(blob);
        if (known != null) {
            return known;
        }
        byte[] bytes = reader.open(blob, Constants.OBJ_BLOB).getCachedBytes();
        for (byte b : bytes) {
            if (b == 0) {
                throw new UnsafeSymlink("commit " + commit + " has a symlink " + path + " whose target holds a NUL"
                        + " byte");
            }
        }
        String target = names.decode(commit, path + " -> ", bytes, 0, bytes.length);
        targets.put(blob, target);
        return target;
    }
}

package org.lockstep.agent.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes a commit's tree into an empty directory: regular files (0644), executables (0755) and symlinks exactly as
 * git has them, the same as {@code git archive}. Everything is checked before the first byte is written: a
 * submodule, an unsafe path or a symlink leaving the tree fails the export as a whole.
 *
 * <p>Files whose blob and mode are the same in {@code previous} (an existing release of another commit) are
 * hard-linked from it instead of written, so a release costs disk in proportion to what changed. Releases are
 * never modified after they are made, which is what makes sharing inodes safe.
 */
public final class TreeExporter {

    /** Told after every file, so a caller can watch (or, in tests, stop) an export half-way. */
    @FunctionalInterface
    public interface Progress {
        void written(int done, int total);
    }

    /**
     * What an export did.
     *
     * @param files    regular and executable files in the tree
     * @param linked   files hard-linked from the previous release instead of written
     * @param symlinks symlinks in the tree
     */
    public record Stats(int files, int linked, int symlinks) {
    }

    /** A release of another commit to share unchanged files with. */
    public record Previous(Path dir, String commit) {
    }

    private record Entry(String path, FileMode mode, ObjectId blob, boolean sameAsPrevious) {
    }

    private TreeExporter() {
    }

    public static Stats export(GitMirror mirror, String commit, Path dir, Previous previous, Progress progress) {
        try (ObjectReader reader = mirror.repository().newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            RevCommit target = walk.parseCommit(ObjectId.fromString(commit));
            boolean share = previous != null && mirror.has(previous.commit());
            List<Entry> entries = list(reader, target, share ? walk.parseCommit(ObjectId.fromString(
                    previous.commit())) : null, commit);
            Map<String, String> links = new HashMap<>();
            for (Entry entry : entries) {
                if (entry.mode() == FileMode.SYMLINK) {
                    links.put(entry.path(), new String(reader.open(entry.blob()).getBytes(), StandardCharsets.UTF_8));
                }
            }
            SymlinkGuard.check(commit, entries.stream().map(Entry::path).toList(), links);
            return write(reader, entries, links, dir, share ? previous.dir() : null, progress);
        }
        catch (IOException e) {
            throw new MirrorBroken("cannot export " + commit + " to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<Entry> list(ObjectReader reader, RevCommit target, RevCommit previous, String commit)
            throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (TreeWalk tree = new TreeWalk(reader)) {
            tree.addTree(target.getTree());
            if (previous != null) {
                tree.addTree(previous.getTree());
            }
            tree.setRecursive(true);
            while (tree.next()) {
                FileMode mode = tree.getFileMode(0);
                if (mode == FileMode.MISSING) {
                    continue;
                }
                String path = tree.getPathString();
                if (mode == FileMode.GITLINK) {
                    throw new SubmoduleNotSupported("commit " + commit + " has a submodule at " + path
                            + "; submodules are not supported, vendor the content instead");
                }
                if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE && mode != FileMode.SYMLINK) {
                    throw new UnsafePath("commit " + commit + " has an entry of unsupported mode " + mode + " at "
                            + path);
                }
                SymlinkGuard.checkName(commit, path);
                boolean same = previous != null && tree.getRawMode(0) == tree.getRawMode(1) && tree.idEqual(0, 1);
                entries.add(new Entry(path, mode, tree.getObjectId(0), same));
            }
        }
        return entries;
    }

    private static Stats write(ObjectReader reader, List<Entry> entries, Map<String, String> links, Path dir,
                               Path previousDir, Progress progress) throws IOException {
        int files = 0;
        int linked = 0;
        int done = 0;
        for (Entry entry : entries) {
            Path file = dir.resolve(entry.path());
            Path parent = file.getParent();
            if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
                createDirectories(dir, parent);
            }
            if (entry.mode() == FileMode.SYMLINK) {
                Files.createSymbolicLink(file, Path.of(links.get(entry.path())));
            }
            else {
                files++;
                if (entry.sameAsPrevious() && linkFrom(previousDir, entry, file)) {
                    linked++;
                }
                else {
                    try (OutputStream out = Files.newOutputStream(file)) {
                        reader.open(entry.blob(), Constants.OBJ_BLOB).copyTo(out);
                    }
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(
                            entry.mode() == FileMode.EXECUTABLE_FILE ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            progress.written(++done, entries.size());
        }
        return new Stats(files, linked, links.size());
    }

    private static boolean linkFrom(Path previousDir, Entry entry, Path file) throws IOException {
        Path source = previousDir.resolve(entry.path());
        if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)
                || Files.isExecutable(source) != (entry.mode() == FileMode.EXECUTABLE_FILE)) {
            return false;
        }
        Files.createLink(file, source);
        return true;
    }

    private static void createDirectories(Path root, Path dir) throws IOException {
        Path parent = dir.getParent();
        if (!parent.equals(root) && !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            createDirectories(root, parent);
        }
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}

package org.lockstep.agent.git;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Writes a commit's tree into an empty directory: regular files (0644), executables (0755) and symlinks exactly as
 * git has them, byte for byte what {@code git archive} gives. Everything is checked before the first byte is
 * written ({@link TreePlan}): what git fsck refuses, a submodule, a name that cannot be written exactly, a symlink
 * leaving the tree ({@link SymlinkGuard}) each fail the export as a whole.
 *
 * <p>Entries the previous release (a complete release of another commit) has unchanged are hard-linked from it
 * instead of written, so a release costs disk, and time, in proportion to what changed; see {@link ReleaseWriter}
 * for how few system calls that takes, and why it never writes through a link. Releases are never modified after
 * they are made, which is what makes sharing inodes safe.
 */
public final class TreeExporter {

    /** Told after every file or symlink, so a caller can watch (or, in tests, stop) an export half-way. */
    @FunctionalInterface
    public interface Progress {
        void written(int done, int total);
    }

    /**
     * What an export did.
     *
     * @param files        regular and executable files in the tree
     * @param symlinks     symlinks in the tree
     * @param fromPrevious files and symlinks hard-linked from the previous release
     * @param shared       files and symlinks hard-linked to an identical one elsewhere in this release
     * @param written      files and symlinks created
     * @param dirs         directories created
     */
    public record Stats(int files, int symlinks, int fromPrevious, int shared, int written, int dirs) {
    }

    /** A complete release of another commit to share unchanged entries with. */
    public record Previous(Path dir, String commit) {
    }

    private static final Names NAMES = Names.forThisJvm();

    private TreeExporter() {
    }

    public static Stats export(GitMirror mirror, String commit, Path dir, Previous previous, Progress progress) {
        try (ObjectReader reader = mirror.repository().newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            RevCommit target = walk.parseCommit(ObjectId.fromString(commit));
            boolean share = previous != null && mirror.has(previous.commit());
            ObjectId previousTree = share ? walk.parseCommit(ObjectId.fromString(previous.commit())).getTree() : null;
            TreePlan plan = TreePlan.of(reader, commit, target.getTree(), previousTree, NAMES);
            SymlinkGuard.check(commit, plan.entries().stream().map(TreePlan.Entry::path).toList(), plan.links());

            ReleaseWriter writer = new ReleaseWriter(reader, dir, share ? previous.dir() : null);
            for (String sub : plan.dirs()) {
                writer.mkdir(sub);
            }
            int total = plan.entries().size();
            int done = 0;
            for (TreePlan.Entry entry : plan.entries()) {
                writer.write(entry, plan.links());
                progress.written(++done, total);
            }
            return new Stats(total - plan.links().size(), plan.links().size(), writer.fromPrevious(),
                    writer.shared(), writer.written(), plan.dirs().size());
        }
        catch (IOException e) {
            throw new MirrorBroken("cannot export " + commit + " to " + dir + ": " + e.getMessage(), e);
        }
    }
}

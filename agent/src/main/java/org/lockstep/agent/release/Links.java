package org.lockstep.agent.release;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.lockstep.protocol.CommitId;

/**
 * The {@code current} and {@code next} symlinks. A link is only ever replaced by creating the new one under a
 * temporary name and renaming it over the old one ({@code rename(2)} is atomic), then syncing the directory, so a
 * reader sees the old release or the new one and a crash leaves one of the two.
 */
public final class Links {

    static final String TEMP_PREFIX = ".link-tmp-";

    private Links() {
    }

    /** What a link path holds on disk. */
    public sealed interface State {
    }

    /** Nothing at the path. */
    public record Absent() implements State {
    }

    /** A symlink to {@code releases/<commit>}. */
    public record ToRelease(String commit) implements State {
    }

    /** A symlink to something else (an adopted checkout, a hand-made link). */
    public record Foreign(String target) implements State {
    }

    /** A real directory (a checkout from before Lockstep) or a file. */
    public record NotALink() implements State {
    }

    public static State state(Path link) {
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            return new Absent();
        }
        if (!Files.isSymbolicLink(link)) {
            return new NotALink();
        }
        try {
            String target = Files.readSymbolicLink(link).toString();
            if (target.startsWith("releases/") && CommitId.isValid(target.substring("releases/".length()))) {
                return new ToRelease(target.substring("releases/".length()));
            }
            return new Foreign(target);
        }
        catch (IOException e) {
            return new Absent();
        }
    }

    /** The commit the link points at, if it points at a release. */
    public static Optional<String> commit(Path link) {
        return state(link) instanceof ToRelease release ? Optional.of(release.commit()) : Optional.empty();
    }

    /** When the link was last replaced: a symlink's own mtime is its creation time, and rename keeps it. */
    public static Optional<Instant> changedAt(Path link) {
        try {
            return Optional.of(Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS).toInstant());
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Atomically points {@code link} at {@code releases/<commit>}. */
    public static void point(Path link, String commit) throws IOException {
        pointAt(link, RepoLayout.linkTarget(commit));
    }

    static void pointAt(Path link, String target) throws IOException {
        Path dir = link.getParent();
        Path temp = dir.resolve(TEMP_PREFIX + link.getFileName() + "-" + UUID.randomUUID());
        Files.createSymbolicLink(temp, Path.of(target));
        try {
            Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        syncDirectory(dir);
    }

    /** Removes the link (not what it points to). */
    public static void remove(Path link) throws IOException {
        if (Files.deleteIfExists(link)) {
            syncDirectory(link.getParent());
        }
    }

    /** Makes a rename or unlink in {@code dir} durable before anything is reported about it. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}

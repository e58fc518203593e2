package org.lockstep.agent.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.lockstep.agent.git.TreePlan.Entry;
import org.lockstep.agent.git.TreePlan.Kind;

/**
 * Writes a {@link TreePlan} into an empty directory with as few system calls per entry as the file system allows.
 *
 * <ul>
 *   <li>Nothing is ever opened that exists: a file is created with {@code O_CREAT|O_EXCL|O_NOFOLLOW}
 *   ({@code CREATE_NEW}, {@code NOFOLLOW_LINKS}), so it cannot be opened through a symlink or over another file,
 *   and a hard-linked file is never opened for writing.</li>
 *   <li>An entry the previous release has unchanged (same path, mode and blob) is hard-linked from it with one
 *   {@code link(2)}: files and symlinks alike (Linux links a symlink itself, not its target). It needs no
 *   {@code lstat}: the previous release is a complete one the agent made from that commit and releases are never
 *   modified, so the entry there is what git has. Should the link fail anyway (missing, or the inode at the file
 *   system's link limit) the entry is written instead.</li>
 *   <li>An entry whose blob and mode were already written elsewhere in this release is hard-linked to that copy:
 *   schema repositories have the same symlink target ({@code 1.0.0 -> 1.0.0.yaml}) in every schema and
 *   {@code current.yaml} equal to the newest version.</li>
 *   <li>Modes come from {@code open(2)}/{@code mkdir(2)} itself (0644, 0755); {@code chmod} is called only when
 *   the process umask takes bits away, which the first entry of each mode tells.</li>
 * </ul>
 */
final class ReleaseWriter {

    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r--r--");

    private static final Set<PosixFilePermission> EXEC = PosixFilePermissions.fromString("rwxr-xr-x");

    private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    private final ObjectReader reader;

    private final Path root;

    private final Path previous;

    private final Map<Kind, Map<ObjectId, Path>> firstCopies = new EnumMap<>(Kind.class);

    private final Map<Set<PosixFilePermission>, Boolean> umaskKeeps = new HashMap<>();

    private int fromPrevious;

    private int shared;

    private int written;

    ReleaseWriter(ObjectReader reader, Path root, Path previous) {
        this.reader = reader;
        this.root = root;
        this.previous = previous;
        for (Kind kind : Kind.values()) {
            firstCopies.put(kind, new HashMap<>());
        }
    }

    void mkdir(String path) throws IOException {
        Path dir = Files.createDirectory(root.resolve(path), PosixFilePermissions.asFileAttribute(EXEC));
        fixMode(dir, EXEC);
    }

    void write(Entry entry, Map<String, String> links) throws IOException {
        Path path = root.resolve(entry.path());
        Map<ObjectId, Path> copies = firstCopies.get(entry.kind());
        if (entry.sameAsPrevious() && previous != null && link(previous.resolve(entry.path()), path)) {
            copies.putIfAbsent(entry.blob(), path);
            fromPrevious++;
            return;
        }
        Path copy = copies.get(entry.blob());
        if (copy != null && link(copy, path)) {
            shared++;
            return;
        }
        if (entry.kind() == Kind.SYMLINK) {
            Files.createSymbolicLink(path, Path.of(links.get(entry.path())));
        }
        else {
            create(path, entry);
        }
        // The first copy, or a fresh one when the first has as many links as the file system allows.
        copies.put(entry.blob(), path);
        written++;
    }

    /** Files and symlinks hard-linked from the previous release. */
    int fromPrevious() {
        return fromPrevious;
    }

    /** Files and symlinks hard-linked to an identical entry of this release. */
    int shared() {
        return shared;
    }

    /** Files and symlinks created. */
    int written() {
        return written;
    }

    private void create(Path path, Entry entry) throws IOException {
        Set<PosixFilePermission> mode = entry.kind() == Kind.EXECUTABLE ? EXEC : FILE;
        FileAttribute<Set<PosixFilePermission>> attribute = PosixFilePermissions.asFileAttribute(mode);
        ObjectLoader blob = reader.open(entry.blob(), Constants.OBJ_BLOB);
        try (SeekableByteChannel channel = Files.newByteChannel(path, CREATE, attribute)) {
            if (blob.isLarge()) {
                try (OutputStream out = Channels.newOutputStream(channel)) {
                    blob.copyTo(out);
                }
            }
            else {
                ByteBuffer bytes = ByteBuffer.wrap(blob.getCachedBytes());
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
        }
        fixMode(path, mode);
    }

    /** One {@code link(2)}; {@code false} when the source cannot be linked (the entry is then written). */
    private static boolean link(Path source, Path path) throws IOException {
        try {
            Files.createLink(path, source);
            return true;
        }
        catch (FileAlreadyExistsException e) {
            // Two entries of one name: the plan refuses those, so this is a bug, never a reason to write over.
            throw e;
        }
        catch (FileSystemException e) {
            return false;
        }
    }

    private void fixMode(Path path, Set<PosixFilePermission> mode) throws IOException {
        Boolean keeps = umaskKeeps.get(mode);
        if (keeps == null) {
            keeps = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(mode);
            umaskKeeps.put(mode, keeps);
        }
        if (!keeps) {
            Files.setPosixFilePermissions(path, mode);
        }
    }
}

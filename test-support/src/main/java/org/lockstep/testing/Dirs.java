package org.lockstep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Directories for tests: world-readable ones for nginx's workers, and removal that does not follow links. */
public final class Dirs {

    private Dirs() {
    }

    /**
     * A temporary directory readable by everyone: nginx started as root serves files as {@code nobody}, who cannot
     * enter the 0700 directories {@code Files.createTempDirectory} makes by default.
     */
    public static Path worldReadableTempDir(String prefix) {
        try {
            return worldReadable(Files.createTempDirectory(prefix));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Creates {@code dir} if needed and makes it {@code rwxr-xr-x}. */
    public static Path worldReadable(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Removes {@code root} and everything under it; a symbolic link is removed, never followed. */
    public static void delete(Path root) {
        try {
            if (Files.isSymbolicLink(root)) {
                Files.delete(root);
                return;
            }
            if (!Files.exists(root)) {
                return;
            }
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(root)) {
                paths = walk.sorted(Comparator.reverseOrder()).toList();
            }
            for (Path path : paths) {
                Files.deleteIfExists(path);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** {@link #delete} at JVM exit, where a failure has nobody left to tell: the directory is under /tmp anyway. */
    static void deleteQuietly(Path root) {
        try {
            delete(root);
        }
        catch (UncheckedIOException ex) {
            System.err.println("could not remove " + root + ": " + ex.getMessage());
        }
    }
}

package org.lockstep.agent.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Describes a directory tree entry by entry (type, content digest, exec bit, symlink target) for comparison. */
public final class Trees {

    private Trees() {
    }

    public static Map<String, String> describe(Path root) {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(p -> !p.equals(root)).toList()) {
                String name = root.relativize(path).toString();
                if (Files.isSymbolicLink(path)) {
                    entries.put(name, "symlink -> " + Files.readSymbolicLink(path));
                }
                else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    entries.put(name, "dir");
                }
                else {
                    entries.put(name, (Files.isExecutable(path) ? "exec " : "file ") + sha256(path));
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** {@code git archive <commit> | tar -x} into {@code into}. */
    public static Path gitArchive(Path repo, String commit, Path into) {
        try {
            Files.createDirectories(into);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GitFixture.run(into, "sh", "-c", "git -C '" + repo + "' archive --format=tar " + commit + " | tar -xf - -C '"
                + into + "'");
        return into;
    }

    /** Every name under {@code root} as the bytes on disk (hex), sorted: equal only if the bytes are equal. */
    public static String rawNames(Path root) {
        return GitFixture.run(root, "sh", "-c", "find . -print0 | LC_ALL=C sort -z | od -An -v -tx1");
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.lockstep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The one tree comparison: "equals {@code git archive}" means the same set of paths, and for each the same kind,
 * the same bytes, the same executable bit and the same symbolic link target. {@link #describe} gives one line per
 * entry ({@code dir}, {@code link -> <target>}, {@code file <size> sha256:<hex>} or {@code exec <size> sha256:<hex>});
 * {@link #assertSameTree} fails with a diff of those lines, plus the first differing line of a changed text file.
 */
public final class Trees {

    private static final int SHOWN = 40;

    private Trees() {
    }

    /** Relative path to its description; a root that is itself a link (e.g. {@code current}) is followed. */
    public static Map<String, String> describe(Path start) {
        Map<String, String> entries = new TreeMap<>();
        try {
            Path root = start.toRealPath();
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path path : walk.filter(p -> !p.equals(root)).toList()) {
                    entries.put(root.relativize(path).toString(), describeEntry(path));
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return entries;
    }

    /**
     * Fails unless {@code actual} holds exactly the tree {@code expected} holds (which must not be empty: two empty
     * trees prove nothing). The message lists what is missing, extra and different.
     */
    public static void assertSameTree(Path expected, Path actual) {
        Map<String, String> wanted = describe(expected);
        if (wanted.isEmpty()) {
            throw new AssertionError("reference tree " + expected + " is empty");
        }
        Map<String, String> got = describe(actual);
        List<String> differences = diff(wanted, got, expected, actual);
        if (!differences.isEmpty()) {
            StringBuilder message = new StringBuilder("tree of " + actual + " differs from " + expected + " in "
                    + differences.size() + " entries:\n");
            differences.stream().limit(SHOWN).forEach(line -> message.append("  ").append(line).append('\n'));
            if (differences.size() > SHOWN) {
                message.append("  ... and ").append(differences.size() - SHOWN).append(" more\n");
            }
            throw new AssertionError(message.toString());
        }
    }

    /** One line per path that differs: {@code missing}, {@code extra} or {@code changed}, with both descriptions. */
    static List<String> diff(Map<String, String> wanted, Map<String, String> got, Path expected, Path actual) {
        List<String> lines = new ArrayList<>();
        TreeSet<String> paths = new TreeSet<>(wanted.keySet());
        paths.addAll(got.keySet());
        for (String path : paths) {
            String want = wanted.get(path);
            String have = got.get(path);
            if (have == null) {
                lines.add("missing " + path + "  (" + want + ")");
            }
            else if (want == null) {
                lines.add("extra   " + path + "  (" + have + ")");
            }
            else if (!want.equals(have)) {
                lines.add("changed " + path + "  expected " + want + ", actual " + have
                        + firstDifference(expected.resolve(path), actual.resolve(path)));
            }
        }
        return lines;
    }

    private static String describeEntry(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            return "link -> " + Files.readSymbolicLink(path);
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return "dir";
        }
        byte[] bytes = Files.readAllBytes(path);
        return (Files.isExecutable(path) ? "exec " : "file ") + bytes.length + " sha256:" + sha256(bytes);
    }

    /** For two text files of different content, where they first differ. */
    private static String firstDifference(Path expected, Path actual) {
        try {
            if (!Files.isRegularFile(expected, LinkOption.NOFOLLOW_LINKS)
                    || !Files.isRegularFile(actual, LinkOption.NOFOLLOW_LINKS)) {
                return "";
            }
            Optional<List<String>> wantText = text(expected);
            Optional<List<String>> haveText = text(actual);
            if (wantText.isEmpty() || haveText.isEmpty()) {
                return "";
            }
            List<String> want = wantText.get();
            List<String> have = haveText.get();
            for (int i = 0; i < Math.max(want.size(), have.size()); i++) {
                String a = i < want.size() ? want.get(i) : "<end of file>";
                String b = i < have.size() ? have.get(i) : "<end of file>";
                if (!a.equals(b)) {
                    return "\n      line " + (i + 1) + ": expected \"" + a + "\", actual \"" + b + "\"";
                }
            }
            return "";
        }
        catch (IOException ex) {
            return "";
        }
    }

    /** The lines of a small UTF-8 file; empty for a large or binary one, whose lines nobody wants to read. */
    private static Optional<List<String>> text(Path file) throws IOException {
        if (Files.size(file) > 64 * 1024) {
            return Optional.empty();
        }
        try {
            String content = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
            return Optional.of(List.of(content.split("\n", -1)));
        }
        catch (CharacterCodingException binary) {
            return Optional.empty();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}

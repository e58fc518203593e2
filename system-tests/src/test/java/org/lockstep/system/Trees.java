package org.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Compares two directory trees entry by entry: kinds, bytes, executable bits, symlink targets. */
final class Trees {

    private Trees() {
    }

    static void assertSameTree(Path expected, Path actual) {
        Map<String, String> wanted = describe(expected);
        assertThat(wanted).as("reference tree %s", expected).isNotEmpty();
        assertThat(describe(actual)).as("tree of %s", actual).isEqualTo(wanted);
    }

    /** Relative path -> "link:target", "dir", or "file:<x|->:<content>". */
    static Map<String, String> describe(Path start) {
        Map<String, String> entries = new TreeMap<>();
        Path root;
        try {
            root = start.toRealPath(); // current is itself a link: walk the release it leads to
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                String name = root.relativize(path).toString();
                if (name.isEmpty()) {
                    continue;
                }
                if (Files.isSymbolicLink(path)) {
                    entries.put(name, "link:" + Files.readSymbolicLink(path));
                }
                else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    entries.put(name, "dir");
                }
                else {
                    entries.put(name, "file:" + (Files.isExecutable(path) ? "x" : "-") + ":"
                            + Files.readString(path));
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return entries;
    }
}

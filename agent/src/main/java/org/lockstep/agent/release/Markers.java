package org.lockstep.agent.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.lockstep.protocol.CommitId;

/**
 * The agent's mark on the releases it built: {@code releases/.<commit>.complete}, beside the release and so never
 * served (the web server serves only below {@code current} and {@code next}), holding the commit and the inode of
 * the release directory. A release counts as prepared only when {@code releases/<commit>} is a real directory (not
 * a symlink) whose inode is the one in its marker: a planted symlink, a directory someone copied or moved there, or
 * a marker without its directory do not count.
 *
 * <p>{@code releases/.marked} says since when releases are marked. Releases made by an agent from before markers
 * have none; the first start that finds {@code releases/} without {@code .marked} marks the commit-named
 * directories there once (it cannot tell them from hand-made ones), and from then on only marked ones count.
 */
public final class Markers {

    static final String SUFFIX = ".complete";

    static final String FLAG = ".marked";

    private Markers() {
    }

    /** Whether {@code releases/<commit>} is a complete release this agent built. */
    public static boolean isComplete(RepoLayout layout, String commit) {
        if (!CommitId.isValid(commit)) {
            return false;
        }
        Path marker = marker(layout, commit);
        try {
            Map<String, Object> dir = Files.readAttributes(layout.release(commit), "unix:ino,isDirectory",
                    LinkOption.NOFOLLOW_LINKS);
            if (!Boolean.TRUE.equals(dir.get("isDirectory"))
                    || !Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            return Files.readString(marker, StandardCharsets.UTF_8).equals(content(commit, dir.get("ino")));
        }
        catch (IOException e) {
            // Absent or unreadable: not a release to serve.
            return false;
        }
    }

    /**
     * Marks {@code dir} (the release being built, before its rename to {@code releases/<commit>}: a rename keeps the
     * inode) as the release of {@code commit}. Not synced here: the release's one file-system sync covers it.
     */
    static void mark(RepoLayout layout, String commit, Path dir) throws IOException {
        Object inode = Files.getAttribute(dir, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        Path marker = marker(layout, commit);
        Path temp = marker.resolveSibling(Releases.TEMP_PREFIX + "marker-" + commit + "-" + System.nanoTime());
        Files.writeString(temp, content(commit, inode), StandardCharsets.UTF_8);
        Files.move(temp, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static void unmark(RepoLayout layout, String commit) throws IOException {
        Files.deleteIfExists(marker(layout, commit));
    }

    /**
     * Makes {@code releases/} and its {@code .marked} if missing; marks what an agent from before markers left
     * there. Returns the commits marked that way.
     */
    public static List<String> ensureMarked(RepoLayout layout) throws IOException {
        Files.createDirectories(layout.releases());
        Path flag = layout.releases().resolve(FLAG);
        List<String> adopted = new ArrayList<>();
        if (Files.exists(flag, LinkOption.NOFOLLOW_LINKS)) {
            return adopted;
        }
        try (Stream<Path> entries = Files.list(layout.releases())) {
            for (Path path : entries.toList()) {
                String name = path.getFileName().toString();
                if (CommitId.isValid(name) && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                        && !isComplete(layout, name)) {
                    mark(layout, name, path);
                    adopted.add(name);
                }
            }
        }
        Files.writeString(flag, "releases here count only with a .<commit>" + SUFFIX + " marker, since "
                + Instant.now() + "\n", StandardCharsets.UTF_8);
        Links.syncDirectory(layout.releases());
        return adopted;
    }

    /** Whether a name in {@code releases/} is a marker, and of which commit. */
    static String commitOfMarker(String name) {
        if (name.startsWith(".") && name.endsWith(SUFFIX)) {
            String commit = name.substring(1, name.length() - SUFFIX.length());
            return CommitId.isValid(commit) ? commit : null;
        }
        return null;
    }

    private static Path marker(RepoLayout layout, String commit) {
        return layout.releases().resolve("." + CommitId.of(commit).value() + SUFFIX);
    }

    private static String content(String commit, Object inode) {
        return "commit=" + commit + "\ninode=" + inode + "\n";
    }
}

package org.lockstep.agent.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.lockstep.agent.git.TreeExporter;
import org.lockstep.protocol.CommitId;
import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code releases/} directory of one repository: listing, crash recovery, pruning, adoption. */
public final class Releases {

    static final String TEMP_PREFIX = ".tmp-";

    private static final Logger log = LoggerFactory.getLogger(Releases.class);

    private Releases() {
    }

    /** Whether {@code releases/<commit>} is a complete release this agent built ({@link Markers}). */
    public static boolean isComplete(RepoLayout layout, String commit) {
        return Markers.isComplete(layout, commit);
    }

    /** The commits with a complete release, newest first. */
    public static List<String> list(RepoLayout layout) throws IOException {
        if (!Files.isDirectory(layout.releases())) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(layout.releases())) {
            return entries.filter(p -> isComplete(layout, p.getFileName().toString()))
                    .sorted(Comparator.comparing(Releases::modified).reversed())
                    .map(p -> p.getFileName().toString()).toList();
        }
    }

    /** The newest complete release other than {@code commit}, to hard-link unchanged entries from. */
    static Optional<TreeExporter.Previous> newest(RepoLayout layout, String commit) throws IOException {
        Optional<String> current = Links.commit(layout.current());
        String source = current.filter(c -> !c.equals(commit) && isComplete(layout, c))
                .orElseGet(() -> uncheckedList(layout).stream().filter(c -> !c.equals(commit)).findFirst()
                        .orElse(null));
        return Optional.ofNullable(source).map(c -> new TreeExporter.Previous(layout.release(c), c));
    }

    /**
     * Removes what a crash can leave behind, and what the agent did not build: half-written {@code .tmp-*}
     * releases, temporary link names, markers without their release, and entries named after a commit that are
     * not complete releases (a planted symlink, a directory without a marker), except the one {@code current}
     * points at: it stays until an activation replaces it, nothing served changes without one ({@code next} is
     * repaired instead, {@link Servable#repairNext}). Unknown names are left alone. Returns the paths removed.
     */
    public static List<Path> removeLeftovers(RepoLayout layout) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (Files.isDirectory(layout.releases())) {
            for (String commit : Markers.ensureMarked(layout)) {
                log.warn("event=release-marked repo={} commit={} hint=\"made before releases were marked; trusted"
                        + " once\"", layout.repo(), commit);
            }
            Optional<String> served = Links.commit(layout.current());
            try (Stream<Path> entries = Files.list(layout.releases())) {
                for (Path path : entries.toList()) {
                    String name = path.getFileName().toString();
                    String marked = Markers.commitOfMarker(name);
                    if (name.startsWith(TEMP_PREFIX)) {
                        deleteTree(path);
                        removed.add(path);
                    }
                    else if (marked != null) {
                        if (!isComplete(layout, marked)) {
                            Files.delete(path);
                            removed.add(path);
                        }
                    }
                    else if (CommitId.isValid(name)) {
                        if (!isComplete(layout, name) && !served.equals(Optional.of(name))) {
                            log.warn("event=release-not-ours repo={} commit={} path={} action=removed"
                                    + " hint=\"no marker of this agent, or not a directory\"", layout.repo(), name,
                                    LogText.quoted(path.toString()));
                            removeEntry(layout, name);
                            removed.add(path);
                        }
                    }
                    else if (!name.equals(Markers.FLAG)) {
                        log.warn("event=unexpected-release-entry repo={} path={} action=left-alone", layout.repo(),
                                LogText.quoted(path.toString()));
                    }
                }
            }
        }
        if (Files.isDirectory(layout.root())) {
            try (Stream<Path> entries = Files.list(layout.root())) {
                for (Path path : entries.toList()) {
                    String name = path.getFileName().toString();
                    if (name.startsWith(Links.TEMP_PREFIX) || name.startsWith(".verify-")) {
                        Files.deleteIfExists(path);
                        removed.add(path);
                    }
                }
            }
        }
        return removed;
    }

    /**
     * Removes releases beyond the newest {@code keep}, never one in {@code protect}. A release is renamed to a
     * temp name before it is deleted, so a crash half-way never leaves a partial directory under a commit name.
     * Returns the commits removed.
     */
    public static List<String> prune(RepoLayout layout, int keep, Set<String> protect) throws IOException {
        List<String> all = list(layout);
        List<String> removed = new ArrayList<>();
        long kept = all.stream().filter(protect::contains).count();
        for (String commit : all) {
            if (protect.contains(commit)) {
                continue;
            }
            if (kept < keep) {
                kept++;
                continue;
            }
            removeEntry(layout, commit);
            removed.add(commit);
        }
        return removed;
    }

    /**
     * Moves a real directory at {@code current} (a checkout from before Lockstep) to {@code adopted-<time>} and
     * points {@code current} at it, so the web server keeps serving it until the first activation replaces it.
     */
    public static Path adopt(RepoLayout layout) throws IOException {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                .format(Instant.now());
        Path aside = layout.root().resolve("adopted-" + stamp);
        Files.move(layout.current(), aside, StandardCopyOption.ATOMIC_MOVE);
        Links.pointAt(layout.current(), aside.getFileName().toString());
        return aside;
    }

    /**
     * Clears {@code releases/<commit>} of whatever is there, marker included: a directory is renamed away first
     * (so no partial directory is ever left under a commit name), a symlink or file is unlinked, never followed.
     */
    static void removeEntry(RepoLayout layout, String commit) throws IOException {
        Path path = layout.release(commit);
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Path doomed = layout.releases().resolve(TEMP_PREFIX + commit + "-removing-" + UUID.randomUUID());
            Files.move(path, doomed, StandardCopyOption.ATOMIC_MOVE);
            Markers.unmark(layout, commit);
            deleteTree(doomed);
        }
        else {
            Files.deleteIfExists(path);
            Markers.unmark(layout, commit);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
        catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static List<String> uncheckedList(RepoLayout layout) {
        try {
            return list(layout);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS);
        }
        catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}

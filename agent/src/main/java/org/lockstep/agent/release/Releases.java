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

    /** The commits with a complete release, newest first. */
    public static List<String> list(RepoLayout layout) throws IOException {
        if (!Files.isDirectory(layout.releases())) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(layout.releases())) {
            return entries.filter(p -> CommitId.isValid(p.getFileName().toString()))
                    .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted(Comparator.comparing(Releases::modified).reversed())
                    .map(p -> p.getFileName().toString()).toList();
        }
    }

    /** The newest release other than {@code commit}, to hard-link unchanged files from. */
    static Optional<TreeExporter.Previous> newest(RepoLayout layout, String commit) throws IOException {
        Optional<String> current = Links.commit(layout.current());
        String source = current.filter(c -> !c.equals(commit) && Files.isDirectory(layout.release(c)))
                .orElseGet(() -> uncheckedList(layout).stream().filter(c -> !c.equals(commit)).findFirst()
                        .orElse(null));
        return Optional.ofNullable(source).map(c -> new TreeExporter.Previous(layout.release(c), c));
    }

    /**
     * Removes what a crash can leave behind: half-written {@code .tmp-*} releases and temporary link names.
     * Returns the paths removed.
     */
    public static List<Path> removeLeftovers(RepoLayout layout) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (Files.isDirectory(layout.releases())) {
            try (Stream<Path> entries = Files.list(layout.releases())) {
                for (Path path : entries.toList()) {
                    String name = path.getFileName().toString();
                    if (name.startsWith(TEMP_PREFIX)) {
                        deleteTree(path);
                        removed.add(path);
                    }
                    else if (!CommitId.isValid(name)) {
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
            Path doomed = layout.releases().resolve(TEMP_PREFIX + commit + "-removing-" + UUID.randomUUID());
            Files.move(layout.release(commit), doomed, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(doomed);
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

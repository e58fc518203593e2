package org.lockstep.bench;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.lockstep.agent.git.GitMirror;
import org.lockstep.agent.git.TreeExporter;
import org.lockstep.agent.release.FileSystemSync;
import org.lockstep.bench.Timing.Timed;
import org.lockstep.bench.Timing.Variant;

/**
 * What making a release durable costs, three ways, each right after the release was written (nothing synced in
 * between): {@code fsync} of every file and directory ({@code FileChannel.force}), one {@code sync --file-system}
 * process (what the agent does), and {@code syncfs(2)} called directly through JNA.
 */
final class SyncCost {

    /** The C library's syncfs and open/close, for the direct call. */
    interface LibC extends Library {
        int open(String path, int flags);

        int syncfs(int fd);

        int close(int fd);
    }

    private static final int O_RDONLY = 0;

    private final Repo repo;

    private final Path base;

    private final Timing timing;

    private final Report report;

    SyncCost(Repo repo, Path base, Timing timing, Report report) {
        this.repo = repo;
        this.base = base;
        this.timing = timing;
        this.report = report;
    }

    void measure(GitMirror mirror) throws Exception {
        LibC libc = Native.load("c", LibC.class);
        Path previous = base.resolve("sync-previous");
        Files.createDirectory(previous);
        TreeExporter.export(mirror, repo.c1(), previous, null, (done, total) -> { });
        for (boolean incremental : new boolean[] {false, true}) {
            Path dir = base.resolve("sync-release");
            Timing.Step write = () -> {
                Shell.rm(dir);
                Shell.sync();
                Files.createDirectory(dir);
                TreeExporter.export(mirror, incremental ? repo.c2() : repo.c1(), dir,
                        incremental ? new TreeExporter.Previous(previous, repo.c1()) : null, (done, total) -> { });
            };
            Map<String, Variant> variants = new LinkedHashMap<>();
            variants.put("fsync", new Variant(write, () -> forceEach(dir)));
            variants.put("sync-f", new Variant(write, () -> FileSystemSync.sync(dir)));
            variants.put("syncfs", new Variant(write, () -> {
                int fd = libc.open(dir.toString(), O_RDONLY);
                if (fd < 0 || libc.syncfs(fd) != 0 | libc.close(fd) != 0) {
                    throw new IOException("syncfs of " + dir + " failed");
                }
            }));
            Map<String, Timed> times = timing.measure(variants, false);
            String what = incremental ? "sync of a release after a 1-file change" : "sync of a full release";
            report.row(repo, what + ": `sync -f` (the agent)", times.get("sync-f"), "fsync of every file and dir",
                    times.get("fsync"));
            report.row(repo, what + ": `sync -f` (the agent)", times.get("sync-f"), "`syncfs(2)` through JNA",
                    times.get("syncfs"));
            Shell.rm(dir);
        }
        Shell.rm(previous);
    }

    private static void forceEach(Path dir) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.filter(p -> !Files.isSymbolicLink(p)).toList();
        }
        for (Path path : paths) {
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                channel.force(true);
            }
        }
    }
}

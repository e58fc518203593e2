package org.lockstep.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.lockstep.agent.git.GitMirror;
import org.lockstep.testing.GitDaemon;
import org.lockstep.testing.IsolatedGit;

/**
 * The agent's fetch and release materialization against the git CLI doing the same job, in the same run, on
 * repositories generated here. Not a test: run it with {@code scripts/bench}, read docs/benchmarks.md for what
 * each figure means.
 *
 * <p>Arguments: {@code --reps N} (timed repetitions, default 5, after one untimed warm-up), {@code --sizes 200,2000}
 * (files of the flat repositories; {@code none} for none), {@code --schemas 5000,20000} (files of the
 * schema-shaped repositories, {@code none} for none; all measurements on the first, fetch and the release after
 * a 1-file change on the others), {@code --only fetch,full,incremental,sync} (default all),
 * {@code --work DIR} (default: a new temp directory, removed at the end unless {@code --keep}).
 */
public final class Bench {

    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(300);

    private final Path work;

    private final Timing timing;

    private final Set<String> only;

    private final Report report = new Report();

    private Bench(Path work, int reps, Set<String> only) {
        this.work = work;
        this.timing = new Timing(reps);
        this.only = only;
    }

    public static void main(String[] args) throws Exception {
        int reps = 5;
        List<Integer> sizes = List.of(200, 2000);
        List<Integer> schemas = List.of(5000, 20000);
        Set<String> only = Set.of("fetch", "full", "incremental", "sync");
        Path work = null;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--sizes" -> sizes = numbers(args[++i]);
                case "--schemas" -> schemas = numbers(args[++i]);
                case "--only" -> only = Set.of(args[++i].split(","));
                case "--work" -> work = Path.of(args[++i]);
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: Bench"
                        + " [--reps N] [--sizes 200,2000] [--schemas 5000,20000] [--only fetch,full,incremental,sync]"
                        + " [--work DIR] [--keep]");
            }
        }
        // Neither JGit in this JVM (the agent's code included) nor git in its children reads the machine's config.
        IsolatedGit.install();
        work = work == null ? Files.createTempDirectory("lockstep-bench-") : Files.createDirectories(work);

        Bench bench = new Bench(work, reps, only);
        header(work, reps, keep);
        try {
            for (int size : sizes) {
                bench.repository(size, false, true);
            }
            for (int i = 0; i < schemas.size(); i++) {
                bench.repository(schemas.get(i), true, i == 0);
            }
        }
        finally {
            if (!keep) {
                Shell.rm(work);
            }
        }
        System.out.println();
        System.out.println("load:     " + Shell.loadavg() + " (1/5/15 min, at end)");
        System.out.println();
        bench.report.print(System.out);
    }

    /**
     * Measures one generated repository; {@code everything} false (the larger schema repositories, there to show
     * how the cost grows) measures only the fetch and the release after a 1-file change.
     */
    private void repository(int n, boolean schemaShape, boolean everything) throws Exception {
        Path base = Files.createDirectories(work.resolve((schemaShape ? "schemas-" : "flat-") + n));
        Repo repo = schemaShape ? SchemaRepo.generate(base, n) : FlatRepo.generate(base, n);
        System.out.printf("repository %s n=%d: %d files (%d executable) + %d symlinks in %d directories, %d KiB;"
                        + " commits %s; load %s%n", repo.shape(), n, repo.files(), repo.executables(), repo.symlinks(),
                repo.dirs(), repo.bytes() / 1024, String.join(" ", Arrays.stream(repo.commits())
                        .map(c -> c.substring(0, 8)).toList()), Shell.loadavg());
        Measurements measurements = new Measurements(repo, base, timing, report);
        if (only.contains("fetch")) {
            measurements.fetch("file://", repo.url());
            if (schemaShape) {
                try (GitDaemon daemon = GitDaemon.serve(base, base.resolve("daemon.log"))) {
                    measurements.fetch("git://", daemon.url(repo.remote().getFileName().toString()));
                }
            }
        }
        // The mirror both sides materialize from: written by the agent, as on a host.
        Path mirrorDir = base.resolve("mirror.git");
        try (GitMirror mirror = GitMirror.open(mirrorDir, repo.url(), FETCH_TIMEOUT)) {
            mirror.fetch(repo.last(), "main", () -> { });
            if (only.contains("full") && everything) {
                measurements.full(mirror, mirrorDir, !schemaShape);
            }
            if (only.contains("incremental")) {
                measurements.incremental(mirror, mirrorDir, repo.c1(), repo.c2(), "a 1-file change");
                if (schemaShape && everything) {
                    measurements.incremental(mirror, mirrorDir, repo.c2(), repo.commits()[2], "a schema bump");
                }
            }
            if (only.contains("sync") && schemaShape && everything) {
                new SyncCost(repo, base, timing, report).measure(mirror);
            }
        }
        Shell.rm(base);
    }

    private static void header(Path work, int reps, boolean keep) {
        System.out.println("# Lockstep benchmark: agent (JGit) vs git CLI");
        System.out.println("date:     " + Instant.now());
        System.out.println("machine:  " + Runtime.getRuntime().availableProcessors() + " cores, "
                + Shell.run(work, "uname", "-srm").trim() + ", "
                + Shell.run(work, "findmnt", "-n", "-o", "FSTYPE", "-T", work.toString()).trim() + " file system at "
                + work);
        System.out.println("git:      " + Shell.run(work, "git", "--version").trim());
        System.out.println("java:     " + System.getProperty("java.vm.name") + " " + System.getProperty(
                "java.runtime.version") + ", flags " + String.join(" ",
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.println("reps:     " + reps + " timed (after 1 untimed warm-up), median and min in ms");
        System.out.println("load:     " + Shell.loadavg() + " (1/5/15 min, at start)");
        if (keep) {
            System.out.println("work:     " + work + " (kept)");
        }
        System.out.println();
    }

    private static List<Integer> numbers(String list) {
        return list.equals("none") ? List.of() : Arrays.stream(list.split(",")).map(String::trim)
                .map(Integer::valueOf).toList();
    }
}

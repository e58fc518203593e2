package org.lockstep.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.lockstep.agent.git.FetchOutcome;
import org.lockstep.agent.git.GitMirror;
import org.lockstep.agent.release.Links;
import org.lockstep.agent.release.ReleaseBuilder;
import org.lockstep.agent.release.RepoLayout;

/**
 * The agent's fetch and release materialization against the git CLI doing the same job, in the same run, on
 * repositories generated here with the git CLI. Not a test: run it with {@code scripts/bench}, read
 * docs/benchmarks.md for what each figure means.
 *
 * <p>Arguments: {@code --reps N} (timed repetitions, default 5, after one untimed warm-up),
 * {@code --sizes 200,2000} (regular files per repository), {@code --work DIR} (default: a new temp directory,
 * removed at the end unless {@code --keep}).
 */
public final class Bench {

    private static final int SYMLINKS = 5;

    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(120);

    private final Path work;

    private final int reps;

    private final List<String> rows = new ArrayList<>();

    private final List<String> notes = new ArrayList<>();

    private Bench(Path work, int reps) {
        this.work = work;
        this.reps = reps;
    }

    public static void main(String[] args) throws Exception {
        int reps = 5;
        List<Integer> sizes = List.of(200, 2000);
        Path work = null;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::valueOf)
                        .toList();
                case "--work" -> work = Path.of(args[++i]);
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: Bench [--reps N] [--sizes 200,2000] [--work DIR] [--keep]");
            }
        }
        if (!"1".equals(System.getenv("GIT_CONFIG_NOSYSTEM")) || !"/dev/null".equals(System.getenv(
                "GIT_CONFIG_GLOBAL"))) {
            // JGit reads these from the environment of this process, which cannot be changed from here.
            throw new IllegalStateException("run with GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null (scripts/bench"
                    + " does) so that neither JGit nor git reads the machine's git config");
        }
        work = work == null ? Files.createTempDirectory("lockstep-bench-") : Files.createDirectories(work);
        // JGit reads ~/.gitconfig from user.home: point it at an empty directory.
        Path home = Files.createDirectories(work.resolve("home"));
        System.setProperty("user.home", home.toString());

        Bench bench = new Bench(work, reps);
        System.out.println("# Lockstep benchmark: agent (JGit) vs git CLI");
        System.out.println("date:     " + Instant.now());
        System.out.println("machine:  " + Runtime.getRuntime().availableProcessors() + " cores, "
                + run(work, "uname", "-srm").trim() + ", " + run(work, "findmnt", "-n", "-o", "FSTYPE", "-T", work.toString()).trim() + " file system at " + work);
        System.out.println("git:      " + run(work, "git", "--version").trim());
        System.out.println("java:     " + System.getProperty("java.vm.name") + " " + System.getProperty(
                "java.runtime.version") + ", flags " + String.join(" ",
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.println("reps:     " + reps + " timed (after 1 untimed warm-up), median and min in ms");
        System.out.println("load:     " + loadavg() + " (1/5/15 min, at start)");
        if (keep) {
            System.out.println("work:     " + work + " (kept)");
        }
        System.out.println();
        try {
            for (int size : sizes) {
                bench.size(size);
            }
        }
        finally {
            if (!keep) {
                run(work.getParent(), "rm", "-rf", work.toString());
            }
        }
        System.out.println();
        System.out.println("load:     " + loadavg() + " (1/5/15 min, at end)");
        System.out.println();
        System.out.println("| files | measurement | agent median (min) | git CLI | git CLI median (min) | agent / CLI median"
                + " (min) |");
        System.out.println("|---:|---|---:|---|---:|---:|");
        bench.rows.forEach(System.out::println);
        System.out.println();
        bench.notes.forEach(System.out::println);
    }

    private void size(int n) throws Exception {
        Path base = Files.createDirectories(work.resolve("n" + n));
        Repo repo = generate(base, n);
        System.out.printf("repository n=%d: %d files (%d executable) + %d symlinks in %d directories, %d KiB;"
                        + " c1=%s, c2=%s changes one file; load %s%n", n, repo.files, repo.executables, SYMLINKS,
                repo.dirs, repo.bytes / 1024, repo.c1.substring(0, 8), repo.c2.substring(0, 8), loadavg());

        // 1. Fetch c2 (and so its whole history: c1 too) into an empty bare mirror, by id.
        Path agentMirror = base.resolve("fetch-agent.git");
        Path cliMirror = base.resolve("fetch-cli.git");
        FetchOutcome[] outcome = new FetchOutcome[1];
        Map<String, Timed> fetch = measure(Map.of(
                "agent", () -> {
                    try (GitMirror mirror = GitMirror.open(agentMirror, repo.url, FETCH_TIMEOUT)) {
                        outcome[0] = mirror.fetch(repo.c2, "main", () -> { });
                    }
                },
                "cli", () -> {
                    run(base, "git", "init", "-q", "--bare", cliMirror.toString());
                    run(base, "git", "-C", cliMirror.toString(), "fetch", "-q", "--no-tags", repo.url, repo.c2);
                }), Map.of("agent", () -> rm(agentMirror), "cli", () -> rm(cliMirror)));
        run(base, "git", "-C", cliMirror.toString(), "cat-file", "-e", repo.c2 + "^{commit}");
        row(n, "fetch into an empty mirror", fetch.get("agent"), "`git init --bare` + `git fetch <id>`",
                fetch.get("cli"));
        notes.add(String.format("n=%d: agent fetch %s, %d KiB of objects; git CLI mirror %d KiB", n,
                outcome[0].how(), outcome[0].bytes() / 1024, du(cliMirror.resolve("objects"))));

        // The mirror both sides materialize from: written by the agent, as on a host.
        Path mirrorDir = base.resolve("mirror.git");
        try (GitMirror mirror = GitMirror.open(mirrorDir, repo.url, FETCH_TIMEOUT)) {
            mirror.fetch(repo.c2, "main", () -> { });
            ReleaseBuilder builder = new ReleaseBuilder(Duration.ofSeconds(60));
            String gitDir = mirrorDir.toString();

            // 2. A full release of c1 into an empty directory.
            RepoLayout full = new RepoLayout("bench", base.resolve("full-agent"));
            Path archiveDir = base.resolve("full-archive");
            Path checkoutDir = base.resolve("full-checkout");
            Path index = base.resolve("checkout.index");
            Map<String, Timed> materialize = measure(Map.of(
                    "agent", () -> builder.build(full, mirror, repo.c1, null, (done, total) -> { }),
                    "archive", () -> archive(base, gitDir, repo.c1, archiveDir),
                    "checkout", () -> run(base, Map.of("GIT_INDEX_FILE", index.toString()), "sh", "-c",
                            "mkdir \"$1\" && git --git-dir=\"$2\" --work-tree=\"$1\" checkout -q \"$3\" -- .", "sh",
                            checkoutDir.toString(), gitDir, repo.c1)),
                    Map.of("agent", () -> rm(full.root()),
                            "archive", () -> rm(archiveDir),
                            "checkout", () -> {
                                rm(checkoutDir);
                                rm(index);
                            }));
            row(n, "full release", materialize.get("agent"), "`git archive \\| tar -x`", materialize.get("archive"));
            row(n, "full release", materialize.get("agent"), "`git --work-tree=dir checkout <id> -- .`",
                    materialize.get("checkout"));
            // Same bytes, modes and symlinks as git archive (what the agent promises); a difference is a bug.
            run(base, "diff", "-r", "--no-dereference", full.release(repo.c1).toString(), archiveDir.toString());
            run(base, "sh", "-c", "test \"$(find \"$1\" -type f -perm -u+x | wc -l)\" = \"$2\"", "sh",
                    full.release(repo.c1).toString(), Integer.toString(repo.executables));

            // 3. A release of c2 (one file changed) next to the release of c1.
            RepoLayout incr = new RepoLayout("bench", base.resolve("incr-agent"));
            Path cliOld = base.resolve("incr-cli-c1");
            Path cliNew = base.resolve("incr-cli-c2");
            Path cliLinkedOld = base.resolve("incr-linked-c1");
            Path cliLinkedNew = base.resolve("incr-linked-c2");
            Map<String, Timed> next = measure(Map.of(
                    "agent", () -> builder.build(incr, mirror, repo.c2, null, (done, total) -> { }),
                    "archive", () -> archive(base, gitDir, repo.c2, cliNew),
                    "linked", () -> run(base, "bash", "-o", "pipefail", "-c", LINKED, "bash", cliLinkedOld.toString(),
                            cliLinkedNew.toString(), gitDir, repo.c1, repo.c2)),
                    Map.of("agent", () -> {
                        rm(incr.root());
                        builder.build(incr, mirror, repo.c1, null, (done, total) -> { });
                        Links.point(incr.current(), repo.c1);
                    }, "archive", () -> {
                        rm(cliOld);
                        rm(cliNew);
                        archive(base, gitDir, repo.c1, cliOld);
                    }, "linked", () -> {
                        rm(cliLinkedOld);
                        rm(cliLinkedNew);
                        archive(base, gitDir, repo.c1, cliLinkedOld);
                    }));
            run(base, "diff", "-r", "--no-dereference", cliLinkedNew.toString(), cliNew.toString());
            run(base, "diff", "-r", "--no-dereference", incr.release(repo.c2).toString(), cliNew.toString());
            row(n, "release after a 1-file change", next.get("agent"), "`git archive \\| tar -x` (full)",
                    next.get("archive"));
            row(n, "release after a 1-file change", next.get("agent"), "`cp -al` + `git archive <changed>`",
                    next.get("linked"));
            long agentOld = du(incr.release(repo.c1));
            long agentNew = du(incr.release(repo.c1), incr.release(repo.c2)) - agentOld;
            long cliOldKib = du(cliOld);
            long cliNewKib = du(cliOld, cliNew) - cliOldKib;
            long linkedNewKib = du(cliLinkedOld, cliLinkedNew) - du(cliLinkedOld);
            rows.add(String.format("| %d | disk of that second release, KiB (`du -sk r1 r2` - `du -sk r1`) | %d | "
                    + "`git archive \\| tar -x` (full) | %d | %.2f |", n, agentNew, cliNewKib,
                    (double) agentNew / cliNewKib));
            rows.add(String.format("| %d | disk of that second release, KiB | %d | `cp -al` + `git archive <changed>` |"
                    + " %d | %.2f |", n, agentNew, linkedNewKib, (double) agentNew / linkedNewKib));
            notes.add(String.format("n=%d: first release %d KiB (agent) / %d KiB (archive); %d directories cost"
                    + " %d KiB of the second release at 4 KiB each", n, agentOld, cliOldKib, repo.dirs + 1,
                    (repo.dirs + 1) * 4));
        }
        rm(base);
    }

    // ------------------------------------------------------------------ measuring

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    record Timed(long[] nanos) {
        double medianMs() {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            int m = sorted.length / 2;
            return (sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2.0) / 1e6;
        }

        double minMs() {
            return Arrays.stream(nanos).min().orElseThrow() / 1e6;
        }
    }

    /**
     * Runs every variant once untimed (warm-up), then {@link #reps} timed rounds. Each round runs the variants in
     * a rotated order, so that drift in the machine's load does not favour one; {@code setup} (untimed) runs right
     * before each variant.
     */
    private Map<String, Timed> measure(Map<String, Step> variants, Map<String, Step> setup) throws Exception {
        List<String> names = new ArrayList<>(variants.keySet());
        names.sort(null);
        Map<String, long[]> times = new LinkedHashMap<>();
        names.forEach(name -> times.put(name, new long[reps]));
        for (int round = -1; round < reps; round++) {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(Math.floorMod(i + round, names.size()));
                setup.get(name).run();
                sync();
                long start = System.nanoTime();
                variants.get(name).run();
                long elapsed = System.nanoTime() - start;
                if (round >= 0) {
                    times.get(name)[round] = elapsed;
                }
            }
        }
        Map<String, Timed> result = new LinkedHashMap<>();
        times.forEach((name, nanos) -> result.put(name, new Timed(nanos)));
        return result;
    }

    private void row(int n, String what, Timed agent, String cliName, Timed cli) {
        rows.add(String.format("| %d | %s | %.1f (%.1f) | %s | %.1f (%.1f) | %.2f (%.2f) |", n, what,
                agent.medianMs(), agent.minMs(), cliName, cli.medianMs(), cli.minMs(), agent.medianMs() / cli.medianMs(),
                agent.minMs() / cli.minMs()));
    }

    /** Writes back what the untimed setup left dirty, so that a timed step does not pay for its predecessor. */
    private static void sync() throws IOException {
        run(Path.of("/"), "sync");
    }

    // ------------------------------------------------------------------ the repository under test

    record Repo(String url, String c1, String c2, int files, int executables, int dirs, long bytes) {
    }

    /**
     * {@code n} files of 0.2 to 32 KiB (mostly small, like schemas and code) in nested directories about ten files
     * each, every 25th executable, plus {@link #SYMLINKS} relative symlinks; commit c1, then c2 changing one file.
     * Served from a bare clone with everything in one pack, as a real server would have it.
     */
    private static Repo generate(Path base, int n) throws IOException {
        Path src = base.resolve("src");
        run(base, "git", "init", "-q", "-b", "main", src.toString());
        Random random = new Random(n);
        List<String> names = new ArrayList<>();
        java.util.Set<String> dirs = new java.util.HashSet<>();
        long bytes = 0;
        int executables = 0;
        for (int i = 0; i < n; i++) {
            String dir = dirOf(i / 10);
            dirs.add(dir);
            boolean exec = i % 25 == 12;
            String name = dir + "/" + (exec ? String.format("run-%04d.sh", i) : String.format("item-%04d.json", i));
            int roll = random.nextInt(10);
            int size = roll < 6 ? 200 + random.nextInt(1800) : roll < 9 ? 2048 + random.nextInt(6144)
                    : 8192 + random.nextInt(24576);
            Path file = src.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text(random, size, exec));
            if (exec) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
                executables++;
            }
            bytes += size;
            names.add(name);
        }
        for (int k = 0; k < SYMLINKS; k++) {
            String target = names.get(k * (n / SYMLINKS) + 1);
            int slash = target.lastIndexOf('/');
            Files.createSymbolicLink(src.resolve(target.substring(0, slash) + "/latest-" + k + ".json"),
                    Path.of(target.substring(slash + 1)));
        }
        String c1 = commit(src, "c1");
        Files.writeString(src.resolve(names.get(n / 2)), "\n{\"changed\": true}\n",
                java.nio.file.StandardOpenOption.APPEND);
        String c2 = commit(src, "c2");
        Path remote = base.resolve("remote.git");
        run(base, "git", "clone", "-q", "--bare", "--no-local", src.toString(), remote.toString());
        run(base, "git", "-C", remote.toString(), "repack", "-adq");
        // Both sides fetch by id; git's protocol v2 allows any id already, JGit's upload-pack only with this.
        run(base, "git", "-C", remote.toString(), "config", "uploadpack.allowAnySHA1InWant", "true");
        rm(src);
        return new Repo(remote.toUri().toString(), c1, c2, n, executables, countDirs(dirs), bytes);
    }

    /** Directory number {@code d} as its digits in base 6: d3, d1/d4, d2/d0/d5, ... (1 to 3 levels for n ≤ 2000). */
    private static String dirOf(int d) {
        String digits = Integer.toString(d, 6);
        StringBuilder path = new StringBuilder("d" + digits.charAt(0));
        for (int i = 1; i < digits.length(); i++) {
            path.append("/d").append(digits.charAt(i));
        }
        return path.toString();
    }

    private static int countDirs(java.util.Set<String> leaves) {
        java.util.Set<String> all = new java.util.HashSet<>();
        for (String leaf : leaves) {
            for (int slash = leaf.indexOf('/'); slash > 0; slash = leaf.indexOf('/', slash + 1)) {
                all.add(leaf.substring(0, slash));
            }
            all.add(leaf);
        }
        return all.size();
    }

    private static final String[] WORDS = {"type", "object", "string", "integer", "properties", "required",
            "description", "event", "schema", "title", "items", "array", "format", "date-time", "meta", "id",
            "stream", "name", "value", "default"};

    private static String text(Random random, int size, boolean exec) {
        StringBuilder s = new StringBuilder(size + 32);
        s.append(exec ? "#!/bin/sh\n" : "{\n");
        while (s.length() < size) {
            s.append("  \"").append(WORDS[random.nextInt(WORDS.length)]).append("\": \"")
                    .append(WORDS[random.nextInt(WORDS.length)]).append(' ').append(random.nextInt(100000))
                    .append("\",\n");
        }
        s.setLength(size - 2);
        s.append(exec ? "\n\n" : "\n}");
        return s.toString();
    }

    private static String commit(Path src, String message) {
        run(src, "git", "add", "-A");
        run(src, "git", "commit", "-q", "-m", message);
        return run(src, "git", "rev-parse", "HEAD").trim();
    }

    // ------------------------------------------------------------------ processes and files

    /**
     * The git CLI's way to what the agent does for a second release: hard-link the previous one, then replace
     * the paths that differ. {@code $1} old release, {@code $2} new, {@code $3} git dir, {@code $4..5} old and new
     * commit. (Enough for this benchmark's modified file; a real script would need care with deletions, mode
     * changes and an empty difference.)
     */
    private static final String LINKED = String.join("\n",
            "cp -al \"$1\" \"$2\"",
            "git --git-dir=\"$3\" diff-tree -r -z --no-renames --name-only \"$4\" \"$5\" | (cd \"$2\" && xargs -0 -r rm -f --)",
            "git --git-dir=\"$3\" diff-tree -r -z --no-renames --name-only --diff-filter=d \"$4\" \"$5\""
                    + " | xargs -0 -r git --git-dir=\"$3\" archive \"$5\" -- | tar -x -C \"$2\"");

    private static void archive(Path cwd, String gitDir, String commit, Path dir) {
        run(cwd, "bash", "-o", "pipefail", "-c", "mkdir \"$1\" && git --git-dir=\"$2\" archive \"$3\" | tar -x -C \"$1\"",
                "bash", dir.toString(), gitDir, commit);
    }

    private static long du(Path... dirs) {
        List<String> command = new ArrayList<>(List.of("du", "-skc"));
        for (Path dir : dirs) {
            command.add(dir.toString());
        }
        String[] lines = run(dirs[0].getParent(), command.toArray(String[]::new)).trim().split("\n");
        return Long.parseLong(lines[lines.length - 1].split("\\s+")[0]);
    }

    private static void rm(Path path) {
        run(path.getParent(), "rm", "-rf", path.toString());
    }

    private static String loadavg() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        }
        catch (IOException e) {
            return "?";
        }
    }

    static String run(Path cwd, String... command) {
        return run(cwd, Map.of(), command);
    }

    static String run(Path cwd, Map<String, String> env, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
            Map<String, String> environment = builder.environment();
            environment.put("GIT_CONFIG_NOSYSTEM", "1");
            environment.put("GIT_CONFIG_GLOBAL", "/dev/null");
            environment.put("GIT_AUTHOR_NAME", "Bench");
            environment.put("GIT_AUTHOR_EMAIL", "bench@example.org");
            environment.put("GIT_COMMITTER_NAME", "Bench");
            environment.put("GIT_COMMITTER_EMAIL", "bench@example.org");
            environment.putAll(env);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

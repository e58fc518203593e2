package org.lockstep.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.lockstep.agent.git.FetchOutcome;
import org.lockstep.agent.git.GitMirror;
import org.lockstep.agent.git.TreeExporter;
import org.lockstep.agent.release.Links;
import org.lockstep.agent.release.ReleaseBuilder;
import org.lockstep.agent.release.RepoLayout;
import org.lockstep.bench.Timing.Timed;
import org.lockstep.bench.Timing.Variant;

/**
 * The measurements of one generated repository, each the agent's own code against the git CLI doing the same job
 * in the same run. Every release the agent makes is compared with {@code git archive}'s before a figure counts.
 */
final class Measurements {

    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(300);

    private final Repo repo;

    private final Path base;

    private final Timing timing;

    private final Report report;

    Measurements(Repo repo, Path base, Timing timing, Report report) {
        this.repo = repo;
        this.base = base;
        this.timing = timing;
        this.report = report;
    }

    /** Fetch of the last commit (and so its whole history) into an empty bare mirror, by id. */
    void fetch(String protocol, String url) throws Exception {
        Path agentMirror = base.resolve("fetch-agent.git");
        Path cliMirror = base.resolve("fetch-cli.git");
        FetchOutcome[] outcome = new FetchOutcome[1];
        Map<String, Timed> times = timing.measure(Map.of(
                "agent", new Variant(() -> Shell.rm(agentMirror), () -> {
                    try (GitMirror mirror = GitMirror.open(agentMirror, url, FETCH_TIMEOUT)) {
                        outcome[0] = mirror.fetch(repo.last(), "main", () -> { });
                    }
                }),
                "cli", new Variant(() -> Shell.rm(cliMirror), () -> {
                    Shell.run(base, "git", "init", "-q", "--bare", cliMirror.toString());
                    Shell.run(base, "git", "-C", cliMirror.toString(), "fetch", "-q", "--no-tags", url, repo.last());
                })));
        Shell.run(base, "git", "-C", cliMirror.toString(), "cat-file", "-e", repo.last() + "^{commit}");
        if (outcome[0].how() != FetchOutcome.How.BY_ID) {
            throw new IllegalStateException("the agent fetched " + outcome[0].how() + ", not by id");
        }
        report.row(repo, "fetch into an empty mirror (" + protocol + ")", times.get("agent"),
                "`git init --bare` + `git fetch <id>`", times.get("cli"));
        report.note(String.format("%s n=%d: agent fetch over %s %s, %d KiB of objects; git CLI mirror %d KiB",
                repo.shape(), repo.files(), protocol, outcome[0].how(), outcome[0].bytes() / 1024,
                Shell.du(cliMirror.resolve("objects"))));
        Shell.rm(agentMirror);
        Shell.rm(cliMirror);
    }

    /** A full release of c1 into an empty {@code releases/}. */
    void full(GitMirror mirror, Path gitDir, boolean checkout) throws Exception {
        ReleaseBuilder builder = new ReleaseBuilder(Duration.ofSeconds(60));
        RepoLayout agent = new RepoLayout("bench", base.resolve("full-agent"));
        Path archive = base.resolve("full-archive");
        Path checkoutDir = base.resolve("full-checkout");
        Path index = base.resolve("checkout.index");
        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put("agent", new Variant(() -> Shell.rm(agent.root()),
                () -> builder.build(agent, mirror, repo.c1(), null, (done, total) -> { })));
        variants.put("archive", new Variant(() -> Shell.rm(archive),
                () -> Shell.archive(base, gitDir.toString(), repo.c1(), archive)));
        Path exported = base.resolve("full-export");
        variants.put("export", new Variant(() -> {
            Shell.rm(exported);
            Files.createDirectory(exported);
        }, () -> TreeExporter.export(mirror, repo.c1(), exported, null, (done, total) -> { })));
        Path synced = base.resolve("full-archive-synced");
        variants.put("archive-sync", new Variant(() -> Shell.rm(synced), () -> {
            Shell.archive(base, gitDir.toString(), repo.c1(), synced);
            Shell.run(base, "sync", "--file-system", synced.toString());
        }));
        if (checkout) {
            variants.put("checkout", new Variant(() -> {
                Shell.rm(checkoutDir);
                Files.deleteIfExists(index);
            }, () -> Shell.run(base, Map.of("GIT_INDEX_FILE", index.toString()), "sh", "-c",
                    "mkdir \"$1\" && git --git-dir=\"$2\" --work-tree=\"$1\" checkout -q \"$3\" -- .", "sh",
                    checkoutDir.toString(), gitDir.toString(), repo.c1())));
        }
        Map<String, Timed> times = timing.measure(variants);
        Verify.sameAsArchive(agent.release(repo.c1()), archive);
        Verify.sameAsArchive(exported, archive);
        report.row(repo, "full release", times.get("agent"), Report.ARCHIVE, times.get("archive"));
        report.row(repo, "full release", times.get("agent"), "`git archive \\| tar -x` + `sync -f`",
                times.get("archive-sync"));
        report.row(repo, "full release, export only (no sync)", times.get("export"), Report.ARCHIVE,
                times.get("archive"));
        if (checkout) {
            report.row(repo, "full release", times.get("agent"), "`git --work-tree=dir checkout <id> -- .`",
                    times.get("checkout"));
        }
        report.note(String.format("%s n=%d: a full release is %d KiB on disk (agent), %d KiB (archive)",
                repo.shape(), repo.files(), Shell.du(agent.release(repo.c1())), Shell.du(archive)));
        Shell.rm(agent.root());
        Shell.rm(archive);
        Shell.rm(checkoutDir);
        Shell.rm(exported);
        Shell.rm(synced);
    }

    /** A release of {@code to} next to the release of {@code from} that {@code current} points to. */
    void incremental(GitMirror mirror, Path gitDir, String from, String to, String what) throws Exception {
        ReleaseBuilder builder = new ReleaseBuilder(Duration.ofSeconds(60));
        RepoLayout agent = new RepoLayout("bench", base.resolve("incr-agent"));
        builder.build(agent, mirror, from, null, (done, total) -> { });
        Links.point(agent.current(), from);
        Path cliOld = base.resolve("incr-cli-old");
        Path cliNew = base.resolve("incr-cli-new");
        Path linkedNew = base.resolve("incr-linked-new");
        Path copyNew = base.resolve("incr-copy-new");
        Shell.archive(base, gitDir.toString(), from, cliOld);
        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put("agent", new Variant(() -> removeRelease(agent, to),
                () -> builder.build(agent, mirror, to, null, (done, total) -> { })));
        variants.put("archive", new Variant(() -> Shell.rm(cliNew),
                () -> Shell.archive(base, gitDir.toString(), to, cliNew)));
        variants.put("linked", new Variant(() -> Shell.rm(linkedNew), () -> Shell.run(base, "bash", "-o",
                "pipefail", "-c", LINKED, "bash", cliOld.toString(), linkedNew.toString(), gitDir.toString(), from,
                to)));
        variants.put("cp", new Variant(() -> Shell.rm(copyNew),
                () -> Shell.run(base, "cp", "-al", cliOld.toString(), copyNew.toString())));
        Map<String, Timed> times = timing.measure(variants);
        Verify.sameAsArchive(agent.release(to), cliNew);
        Verify.sameAsArchive(linkedNew, cliNew);
        String measurement = "release after " + what;
        report.row(repo, measurement, times.get("agent"), Report.ARCHIVE + " (full)", times.get("archive"));
        report.row(repo, measurement, times.get("agent"), "`cp -al` + `git archive <changed>`", times.get("linked"));
        report.row(repo, measurement, times.get("agent"), "`cp -al` of the tree alone", times.get("cp"));
        long agentOld = Shell.du(agent.release(from));
        long agentNew = Shell.du(agent.release(from), agent.release(to)) - agentOld;
        long cliNewKib = Shell.du(cliOld, cliNew) - Shell.du(cliOld);
        report.disk(repo, "disk of that release, KiB (`du -sk r1 r2` - `du -sk r1`)", agentNew,
                Report.ARCHIVE + " (full)", cliNewKib);
        Shell.rm(agent.root());
        for (Path dir : new Path[] {cliOld, cliNew, linkedNew, copyNew}) {
            Shell.rm(dir);
        }
    }

    private static void removeRelease(RepoLayout layout, String commit) {
        // The release and anything the agent keeps beside it under the commit's name.
        Shell.run(layout.releases(), "sh", "-c", "rm -rf ./*\"$1\"* ./.[!.]*\"$1\"*", "sh", commit);
    }

    /**
     * The git CLI's way to what the agent does for a second release: hard-link the previous one, then replace the
     * paths that differ. {@code $1} old release, {@code $2} new, {@code $3} git dir, {@code $4..5} old and new
     * commit. (Enough for this benchmark's changes, which add and modify; a real script would need care with
     * deletions, mode changes and an empty difference.)
     */
    private static final String LINKED = String.join("\n",
            "cp -al \"$1\" \"$2\"",
            "git --git-dir=\"$3\" diff-tree -r -z --no-renames --name-only \"$4\" \"$5\""
                    + " | (cd \"$2\" && xargs -0 -r rm -f --)",
            "git --git-dir=\"$3\" diff-tree -r -z --no-renames --name-only --diff-filter=d \"$4\" \"$5\""
                    + " | xargs -0 -r git --git-dir=\"$3\" archive \"$5\" -- | tar -x -C \"$2\"");
}

package org.lockstep.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.lockstep.testing.Dirs;
import org.lockstep.testing.IsolatedGit;
import org.lockstep.testing.Processes;
import org.lockstep.testing.agent.AgentConfig;
import org.lockstep.testing.agent.AgentProcess;
import org.lockstep.testing.fleet.SchemaRepo;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.ManifestConfig;
import org.lockstep.testing.manifest.ManifestProcess;
import org.lockstep.testing.manifest.Tokens;
import tools.jackson.databind.JsonNode;

/**
 * {@code scripts/bench switch} (issue 13): how long one host takes to switch {@code primary} to a prepared commit
 * once the manifest activates it, alone and while the same host prepares a {@code secondary} commit of several
 * thousand new files. Real processes: the manifest jar, one agent jar serving both repositories, repositories on
 * disk ({@code file://}). The switch is seen from outside the agent, by inotify on {@code primary/current}.
 *
 * <p>Each measurement: pause {@code primary}, set its target, wait until the manifest has the host's report of it
 * prepared; for the busy case set {@code secondary}'s target and wait until its release directory is being written;
 * then resume {@code primary} (the manifest activates it at once) and time resume request to {@code current} swap.
 *
 * <p>Arguments: {@code --reps N} (measurements per case, default 6), {@code --files N} (files in each
 * {@code secondary} commit, all of them new each time, default 5000), {@code --keep} (keep the work directory).
 */
public final class SwitchBench {

    private static final String HOST = "bench-host";

    private static final Duration WAIT = Duration.ofMinutes(10);

    private final ManifestApi api;

    private final AgentProcess agent;

    private final SchemaRepo primary;

    private final List<String> secondaries;

    private int versions;

    private SwitchBench(ManifestApi api, AgentProcess agent, SchemaRepo primary, List<String> secondaries) {
        this.api = api;
        this.agent = agent;
        this.primary = primary;
        this.secondaries = secondaries;
    }

    public static void main(String[] args) throws Exception {
        int reps = 6;
        int files = 5000;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: scripts/bench switch [--reps N] [--files N] [--keep]");
            }
        }
        IsolatedGit.install();
        Path root = Dirs.worldReadableTempDir("lockstep-bench-switch-");
        System.out.println("# Lockstep benchmark: switch of primary while the host prepares secondary (issue 13)");
        System.out.println("date:    " + Instant.now());
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, load " + Figures.load()
                + " at start");
        System.out.println("cases:   " + reps + " measurements each; secondary commits of " + files
                + " new files each");
        SchemaRepo primary = new SchemaRepo(root, "primary");
        primary.addVersion("event", "1.0.0");
        Path secondaryRepo = root.resolve("secondary.git");
        List<String> secondaries = SecondaryRepo.generate(secondaryRepo, reps + 1, files);
        ManifestConfig config = ManifestConfig.create(root.resolve("manifest/data"))
                .repo("primary", "file://" + primary.bare(), SchemaRepo.BRANCH, List.of(HOST))
                .repo("secondary", "file://" + secondaryRepo, SchemaRepo.BRANCH, List.of(HOST))
                .standardTokens(List.of("primary", "secondary"), List.of(HOST));
        try (ManifestProcess manifest = new ManifestProcess(root.resolve("manifest"), config);
             AgentProcess agent = new AgentProcess(root.resolve("host"), AgentConfig.forHost(HOST,
                     List.of(manifest.url())).heartbeat("2s").repo("primary", "file://" + primary.bare())
                     .repo("secondary", "file://" + secondaryRepo))) {
            manifest.start();
            agent.start();
            new SwitchBench(manifest.api(), agent, primary, secondaries).run(reps);
        }
        finally {
            if (!keep) {
                Dirs.delete(root);
            }
        }
    }

    private void run(int reps) throws Exception {
        String firstPrimary = primary.work().head();
        api.setTarget(Tokens.CI, "primary", firstPrimary, "bench").expect(202);
        api.setTarget(Tokens.CI, "secondary", secondaries.get(0), "bench").expect(202);
        api.awaitComplete("primary", firstPrimary, WAIT);
        api.awaitComplete("secondary", secondaries.get(0), WAIT);
        List<Double> alone = new ArrayList<>();
        List<Double> busy = new ArrayList<>();
        List<Double> prepareSeconds = new ArrayList<>();
        int overlapped = 0;
        try (LinkWatch watch = new LinkWatch(Map.of(HOST, agent.repoDir("primary")))) {
            for (int rep = 1; rep <= reps; rep++) {
                alone.add(switchPrimary(watch, null));
                String secondary = secondaries.get(rep);
                Measured measured = measureBusy(watch, secondary);
                busy.add(measured.millis());
                overlapped += measured.overlapped() ? 1 : 0;
                api.awaitComplete("secondary", secondary, WAIT);
                prepareSeconds.add(prepareSeconds(secondary));
                System.out.printf("rep %d: alone %.1f ms, while secondary prepares %.1f ms (still preparing at the"
                        + " switch: %s), secondary prepared in %.1f s; load %s%n", rep, alone.get(rep - 1),
                        measured.millis(), measured.overlapped(), prepareSeconds.get(rep - 1), Figures.load());
            }
        }
        System.out.println();
        System.out.println("load:    " + Figures.load() + " at end");
        System.out.println();
        System.out.println("| primary's switch (resume -> `current` swapped) | n | median / p90 / p99 / max (ms) |");
        System.out.println("|---|---:|---:|");
        System.out.println("| nothing else to do | " + alone.size() + " | " + Figures.summary(alone) + " |");
        System.out.println("| while the host prepares secondary | " + busy.size() + " | " + Figures.summary(busy)
                + " |");
        System.out.printf("%nsecondary's preparation (target set -> active), median %.1f s; still preparing when"
                + " primary switched: %d of %d%n", Figures.median(prepareSeconds), overlapped, busy.size());
    }

    private record Measured(double millis, boolean overlapped) {
    }

    private Measured measureBusy(LinkWatch watch, String secondary) throws Exception {
        Path releases = agent.repoDir("secondary").resolve("releases");
        double millis = switchPrimary(watch, () -> {
            api.setTarget(Tokens.CI, "secondary", secondary, "bench").expect(202);
            Awaitility.await("secondary " + secondary + " being written").atMost(WAIT)
                    .pollInterval(Duration.ofMillis(5)).until(() -> writing(releases, secondary));
        });
        // Still being written after primary switched: the switch did not wait for it.
        return new Measured(millis, writing(releases, secondary));
    }

    /** Pauses primary, prepares a new commit, runs {@code meanwhile}, resumes; returns resume -> swap in ms. */
    private double switchPrimary(LinkWatch watch, Runnable meanwhile) throws Exception {
        String commit = primary.addVersion("event", "1." + ++versions + ".0");
        api.action(Tokens.OPERATOR, "primary", "pause", "bench").expect(200);
        api.setTarget(Tokens.CI, "primary", commit, "bench").expect(202);
        Awaitility.await("the manifest knows " + commit + " prepared").atMost(WAIT)
                .pollInterval(Duration.ofMillis(20)).until(() -> preparedOnHost(commit));
        if (meanwhile != null) {
            meanwhile.run();
        }
        Instant resumed = Instant.now();
        api.action(Tokens.OPERATOR, "primary", "resume", "bench").expect(200);
        Instant swapped = watch.await(commit, List.of(HOST), WAIT).get(HOST).at();
        api.awaitComplete("primary", commit, WAIT);
        return Figures.millis(resumed, swapped);
    }

    private boolean preparedOnHost(String commit) {
        for (JsonNode host : api.repo("primary").path("hosts")) {
            if (HOST.equals(host.path("host").asString()) && commit.equals(host.path("next").asString())) {
                return true;
            }
        }
        return false;
    }

    private double prepareSeconds(String commit) {
        for (JsonNode rollout : api.rollouts("secondary").path("items")) {
            if (commit.equals(rollout.path("commit").asString())) {
                return rollout.path("prepareSeconds").asDouble();
            }
        }
        return Double.NaN;
    }

    private static boolean writing(Path releases, String commit) {
        try (Stream<Path> entries = Files.list(releases)) {
            return entries.anyMatch(p -> p.getFileName().toString().startsWith(".tmp-" + commit + "-"));
        }
        catch (IOException e) {
            return false;
        }
    }

    /** A repository of {@code files} JSON files whose every commit changes them all, made with git fast-import. */
    static final class SecondaryRepo {

        private SecondaryRepo() {
        }

        static List<String> generate(Path bare, int commits, int files) {
            Processes.run(bare.getParent(), "git", "init", "-q", "--bare", "--initial-branch=" + SchemaRepo.BRANCH,
                    bare.toString());
            Path stream = bare.resolveSibling("secondary.fast-import");
            StringBuilder out = new StringBuilder();
            long time = Instant.now().getEpochSecond() - commits;
            for (int c = 1; c <= commits; c++) {
                String message = "secondary revision " + c + "\n";
                out.append("commit refs/heads/").append(SchemaRepo.BRANCH).append('\n').append("mark :").append(c)
                        .append('\n').append("committer Bench <bench@lockstep.invalid> ").append(time + c)
                        .append(" +0000\n").append(data(message));
                if (c > 1) {
                    out.append("from :").append(c - 1).append('\n');
                }
                out.append("deleteall\n");
                for (int f = 0; f < files; f++) {
                    String path = "jsonschema/group" + f / 100 + "/event" + f + "/1.0.0.json";
                    String content = "{\"$id\": \"/event" + f + "/1.0.0\", \"revision\": " + c
                            + ", \"type\": \"object\", \"description\": \"generated for the switch benchmark\"}\n";
                    out.append("M 100644 inline ").append(path).append('\n').append(data(content));
                }
                out.append('\n');
            }
            try {
                Files.writeString(stream, out, StandardCharsets.UTF_8);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Processes.run(bare, "sh", "-c", "git fast-import --quiet < \"$1\"", "sh", stream.toString());
            List<String> ids = new ArrayList<>();
            for (String line : Processes.stdout(bare, "git", "rev-list", "--reverse", SchemaRepo.BRANCH).split("\n")) {
                ids.add(line.trim());
            }
            return ids;
        }

        private static String data(String text) {
            return "data " + text.getBytes(StandardCharsets.UTF_8).length + "\n" + text;
        }
    }
}

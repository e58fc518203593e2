package org.lockstep.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import org.lockstep.testing.GitRepo;
import org.lockstep.testing.JarProcess;
import org.lockstep.testing.Processes;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.ManifestConfig;
import org.lockstep.testing.manifest.Tokens;

/**
 * One fleet of {@code n} simulated agents against a fresh real manifest jar (embedded store): a warm-up rollout,
 * heartbeats paced as a fleet sends them, heartbeats as fast as the manifest answers them, then the measured rollout.
 */
final class FleetRun {

    private static final int IN_FLIGHT = 32;

    private static final Duration WAIT = Duration.ofMinutes(3);

    private final Path dir;

    private final int n;

    private final FleetBench.Options options;

    private final FleetBench.Row row = new FleetBench.Row();

    FleetRun(Path dir, int n, FleetBench.Options options) {
        this.dir = dir;
        this.n = n;
        this.options = options;
        row.hosts = n;
    }

    FleetBench.Row run() throws Exception {
        row.loadBefore = FleetBench.loadAverage();
        GitRepo upstream = GitRepo.init(dir.resolve("upstream"));
        String c1 = upstream.write("a.json", "{}\n").commit("c1");
        String c2 = upstream.write("b.json", "{}\n").commit("c2");
        List<String> hosts = IntStream.range(0, n).mapToObj(i -> String.format("host%05d", i)).toList();
        int port = Processes.freePort();
        ManifestConfig config = ManifestConfig.create(dir.resolve("data")).pollTimeout("60s")
                .repo(FleetAgents.REPO, upstream.url(), hosts).standardTokens(List.of(FleetAgents.REPO), hosts)
                .set("server.port", Integer.toString(port)).set("server.address", "127.0.0.1");
        ManifestApi api = new ManifestApi("http://127.0.0.1:" + port).withTimeout(Duration.ofSeconds(60));
        try (JarProcess manifest = new JarProcess("manifest", "lockstep.manifest.jar", options.manifestFlags(), dir,
                config.write(dir.resolve("manifest.properties")));
             FleetAgents agents = new FleetAgents(api.baseUrl(), hosts, options.clients())) {
            manifest.start().await("health UP", WAIT, () -> healthy(api));
            long pid = manifest.process().pid();
            agents.startPolls(100);
            long start = api.repo(FleetAgents.REPO).path("revision").asLong();
            await(agents, "every host polls", () -> agents.heldAt(start));
            rollout(api, agents, c1, null, new FleetSamples());
            paced(agents);
            long cpu = cpuTicks(pid);
            flood(agents);
            row.cpuPerReport = (cpuTicks(pid) - cpu) * 10.0 / Math.max(1, row.flood.count());
            rollout(api, agents, c2, c1, row.prepared);
            row.repoBytes = api.get("/api/v1/repos/" + FleetAgents.REPO).expect(200).body().getBytes().length;
            row.rssPeakMb = peakRssMb(pid);
            row.errors = agents.errors();
        }
        row.loadAfter = FleetBench.loadAverage();
        return row;
    }

    /**
     * Every host prepares {@code commit} (the last one alone, measured), then switches to it. Both commits exist
     * before the manifest starts, so its mirror has {@code commit} when the measured rollout sets it: that
     * {@code PUT .../target} needs no fetch.
     */
    private void rollout(ManifestApi api, FleetAgents agents, String commit, String serving, FleetSamples prepared)
            throws Exception {
        long put = System.nanoTime();
        api.setTarget(Tokens.CI, FleetAgents.REPO, commit, "fleet bench").expect(202);
        if (prepared == row.prepared) {
            row.targetMillis = (System.nanoTime() - put) / 1e6;
        }
        long revision = api.repo(FleetAgents.REPO).path("revision").asLong();
        await(agents, "every host polls after the target", () -> agents.heldAt(revision));
        IntStream.range(0, n).forEach(i -> agents.has(i, serving, commit));
        everyHost(agents, i -> i < n - 1, prepared);
        await(agents, "every poll is still held", () -> agents.heldAt(revision));
        Thread.sleep(500);
        double[] fanOutsBefore = fanOuts(api);
        long start = System.nanoTime();
        FleetAgents.Answer last = agents.report(n - 1).get(1, TimeUnit.MINUTES);
        if (last.status() != 200 || !commit.equals(FleetAgents.activeOf(last.body()))) {
            throw new IllegalStateException("the last prepared report did not activate " + commit + ": " + last);
        }
        await(agents, "every held poll brings the activation", () -> agents.seeActive(commit));
        if (prepared == row.prepared) {
            row.activatingMillis = last.nanos() / 1e6;
            IntStream.range(0, n).forEach(i -> row.fanOut.add(agents.activeAt(i) - start));
            await("the manifest records its fan-out", () -> fanOuts(api)[0] > fanOutsBefore[0]);
            double[] fanOutsAfter = fanOuts(api);
            row.manifestFanOutMillis = (fanOutsAfter[1] - fanOutsBefore[1]) * 1000
                    / (fanOutsAfter[0] - fanOutsBefore[0]);
        }
        IntStream.range(0, n).forEach(i -> agents.has(i, commit, null));
        everyHost(agents, i -> true, prepared == row.prepared ? row.switched : new FleetSamples());
        await("the rollout completes", () -> "COMPLETE".equals(api.repo(FleetAgents.REPO).path("rollout")
                .path("state").asString()));
    }

    /** Each host a heartbeat every 10 s, spread evenly over the 10 s, for {@code --seconds}. */
    private void paced(FleetAgents agents) throws InterruptedException {
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        long periodMicros = 10_000_000;
        AtomicInteger inFlight = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            int host = i;
            clock.scheduleAtFixedRate(() -> {
                inFlight.incrementAndGet();
                agents.report(host).thenAccept(a -> {
                    row.paced.add(a.nanos());
                    inFlight.decrementAndGet();
                });
            }, periodMicros * i / n, periodMicros, TimeUnit.MICROSECONDS);
        }
        long start = System.nanoTime();
        Thread.sleep(options.seconds() * 1000L);
        clock.shutdownNow();
        await("paced heartbeats answered", () -> inFlight.get() == 0);
        row.pacedPerSecond = row.paced.count() / ((System.nanoTime() - start) / 1e9);
    }

    /** Heartbeats back to back from {@code --concurrency} hosts at a time, for {@code --flood} seconds. */
    private void flood(FleetAgents agents) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        long end = start + options.flood() * 1_000_000_000L;
        Semaphore done = new Semaphore(0);
        for (int c = 0; c < options.concurrency(); c++) {
            floodLoop(agents, next, end, done);
        }
        done.acquire(options.concurrency());
        row.floodPerSecond = row.flood.count() / ((System.nanoTime() - start) / 1e9);
    }

    private void floodLoop(FleetAgents agents, AtomicInteger next, long end, Semaphore done) {
        if (System.nanoTime() >= end) {
            done.release();
            return;
        }
        agents.report(Math.floorMod(next.getAndIncrement(), n)).thenAccept(a -> {
            row.flood.add(a.nanos());
            floodLoop(agents, next, end, done);
        });
    }

    /** Every host {@code which} accepts reports once, {@value #IN_FLIGHT} at a time. */
    private void everyHost(FleetAgents agents, IntPredicate which, FleetSamples samples) throws Exception {
        Semaphore slots = new Semaphore(IN_FLIGHT);
        CompletableFuture<?>[] reports = new CompletableFuture<?>[n];
        for (int i = 0; i < n; i++) {
            if (!which.test(i)) {
                reports[i] = CompletableFuture.completedFuture(null);
                continue;
            }
            slots.acquire();
            reports[i] = agents.report(i).thenAccept(a -> {
                samples.add(a.nanos());
                slots.release();
            });
        }
        CompletableFuture.allOf(reports).get(WAIT.toMinutes(), TimeUnit.MINUTES);
    }

    /**
     * The manifest's own {@code lockstep_polls_fanout_seconds}: how many fan-outs it recorded and their total, each
     * from the new revision's announcement to the last held poll's answer flushed.
     */
    private static double[] fanOuts(ManifestApi api) {
        double[] countAndSum = new double[2];
        for (String line : api.get("/actuator/prometheus").expect(200).body().lines().toList()) {
            if (line.startsWith("lockstep_polls_fanout_seconds_count ")) {
                countAndSum[0] = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
            else if (line.startsWith("lockstep_polls_fanout_seconds_sum ")) {
                countAndSum[1] = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        return countAndSum;
    }

    private static boolean healthy(ManifestApi api) {
        try {
            return api.get("/actuator/health").status() == 200;
        }
        catch (UncheckedIOException notYet) {
            return false;
        }
    }

    /** Waits until {@code hosts} counts every host, saying every 10 s how far it got. */
    private void await(FleetAgents agents, String what, IntSupplier hosts) throws InterruptedException {
        await(what, () -> hosts.getAsInt() == n, () -> hosts.getAsInt() + " of " + n + " hosts, " + agents.errors()
                + " errors");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, condition, () -> "not yet");
    }

    private static void await(String what, BooleanSupplier condition, Supplier<String> progress)
            throws InterruptedException {
        long start = System.nanoTime();
        long said = start;
        while (!condition.getAsBoolean()) {
            long now = System.nanoTime();
            if (now - start > WAIT.toNanos()) {
                throw new IllegalStateException("timed out: " + what + ": " + progress.get());
            }
            if (now - said > 10_000_000_000L) {
                System.err.println("  waiting until " + what + ": " + progress.get());
                said = now;
            }
            Thread.sleep(20);
        }
    }

    /** User + system CPU of {@code pid}, in clock ticks (10 ms). */
    private static long cpuTicks(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The resident set's high-water mark of {@code pid}, in MB. */
    private static long peakRssMb(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "status")).lines().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(-1L);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

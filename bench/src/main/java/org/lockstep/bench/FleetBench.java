package org.lockstep.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.lockstep.testing.Dirs;

/**
 * Issue 11's fleet: the real {@code manifest-service.jar} (embedded store) and N simulated agents speaking the real
 * protocol over HTTP ({@link FleetAgents}): a long-poll held per host, heartbeats every 10 s spread evenly, and a
 * rollout in which every host reports prepared, then switched. Prints the table, one row per fleet size, each
 * on a fresh manifest, in the same run. Not a test: run it with {@code scripts/bench fleet}, read docs/benchmarks.md.
 *
 * <p>Arguments: {@code --hosts 1000,2000} (fleet sizes), {@code --seconds 20} (paced heartbeats),
 * {@code --flood 10} (heartbeats back to back), {@code --concurrency 64} (hosts reporting at once while flooding),
 * {@code --xmx 512m} (the manifest's heap), {@code --clients 1} (HTTP clients the simulated agents share for their
 * reports; their polls are {@link HeldPolls}), {@code --work DIR}, {@code --keep}.
 */
public final class FleetBench {

    private FleetBench() {
    }

    /** What the command line chose. */
    record Options(int seconds, int flood, int concurrency, String xmx, int clients) {

        List<String> manifestFlags() {
            return List.of("-Xmx" + xmx, "-XX:+UseSerialGC");
        }
    }

    /** The figures of one fleet size. */
    static final class Row {

        int hosts;

        final FleetSamples paced = new FleetSamples();

        final FleetSamples flood = new FleetSamples();

        final FleetSamples prepared = new FleetSamples();

        final FleetSamples switched = new FleetSamples();

        final FleetSamples fanOut = new FleetSamples();

        double pacedPerSecond;

        double floodPerSecond;

        double cpuPerReport;

        double activatingMillis;

        /** The measured rollout's {@code PUT .../target}, its commit already in the manifest's mirror. */
        double targetMillis;

        /** The manifest's own figure of the measured activation's fan-out ({@code lockstep_polls_fanout_seconds}). */
        double manifestFanOutMillis;

        long rssPeakMb;

        long repoBytes;

        int errors;

        String loadBefore;

        String loadAfter;
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(1000, 2000);
        int seconds = 20;
        int flood = 10;
        int concurrency = 64;
        String xmx = "512m";
        int clients = 1;
        Path work = null;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--hosts" -> sizes = Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::valueOf)
                        .toList();
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--flood" -> flood = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--xmx" -> xmx = args[++i];
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path root = work != null ? Files.createDirectories(work) : Files.createTempDirectory("lockstep-fleet-");
        Options options = new Options(seconds, flood, concurrency, xmx, clients);
        List<Row> rows = new ArrayList<>();
        try {
            for (int n : sizes) {
                System.err.println("fleet of " + n + " hosts ...");
                rows.add(new FleetRun(root.resolve("n" + n), n, options).run());
            }
        }
        finally {
            if (!keep) {
                Dirs.delete(root);
            }
        }
        print(rows, options);
    }

    private static void print(List<Row> rows, Options options) {
        System.out.println("| N hosts | heartbeat reports/s sustained (" + options.concurrency() + " at once)"
                + " | needed (10 s heartbeat) | report p50 / p99 (paced, 10 s heartbeat) | report p50 / p99 (flood)"
                + " | manifest CPU per report | last prepared report -> held polls answered, p50 / p99"
                + " | the manifest's fan-out | activating report | manifest RSS peak | GET /repos/primary |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            System.out.printf("| %,d | %,.0f | %,d | %s | %s | %.2f ms | %s | %s ms | %s ms | %d MB | %,d B |%n",
                    r.hosts, r.floodPerSecond, r.hosts / 10, r.paced.p50p99(), r.flood.p50p99(), r.cpuPerReport,
                    r.fanOut.p50p99(), FleetSamples.format(r.manifestFanOutMillis),
                    FleetSamples.format(r.activatingMillis), r.rssPeakMb, r.repoBytes);
        }
        System.out.println();
        for (Row r : rows) {
            System.out.printf("N = %,d: PUT target %s ms (the mirror has the commit), prepared reports %s, switched"
                            + " reports %s, paced heartbeats %,.0f/s (%d answered), held polls answered max %s ms,"
                            + " errors %d; load before %s, after %s%n",
                    r.hosts, FleetSamples.format(r.targetMillis), r.prepared.p50p99(), r.switched.p50p99(),
                    r.pacedPerSecond, r.paced.count(), FleetSamples.format(r.fanOut.millis(100)), r.errors,
                    r.loadBefore, r.loadAfter);
        }
        System.out.println("manifest: -Xmx" + options.xmx() + " -XX:+UseSerialGC, embedded store; "
                + Runtime.getRuntime().availableProcessors() + " cores shared with the simulated agents ("
                + options.clients() + " HTTP client" + (options.clients() == 1 ? "" : "s")
                + " for reports, one selector thread for the held polls)");
    }

    /** The 1, 5 and 15 minute load averages, as {@code uptime} prints them. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

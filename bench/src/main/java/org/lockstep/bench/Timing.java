package org.lockstep.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times variants of one step against each other: every variant once untimed (warm-up: the agent is a long-running
 * process, its JIT is warm), then {@code reps} timed rounds, each round running the variants in a rotated order so
 * that drift in the machine's load does not favour one. The untimed setup of a variant runs right before it, then
 * (unless told otherwise) {@code sync}, so a timed step does not pay for its predecessor's write-back.
 */
final class Timing {

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /** A variant: what is timed and its untimed setup. */
    record Variant(Step setup, Step timed) {
    }

    /**
     * The times of one variant: wall clock, and CPU time spent for it (this JVM's threads plus the child processes
     * it waited for, from {@code /proc/self/stat}: 10 ms resolution). CPU time is the steadier figure on a shared
     * machine: a busy machine stretches wall time, less so the work done.
     */
    record Timed(long[] nanos, long[] cpuNanos) {

        double medianMs() {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            int m = sorted.length / 2;
            return (sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2.0) / 1e6;
        }

        double minMs() {
            return Arrays.stream(nanos).min().orElseThrow() / 1e6;
        }

        double cpuMedianMs() {
            return new Timed(cpuNanos, cpuNanos).medianMs();
        }
    }

    private final int reps;

    Timing(int reps) {
        this.reps = reps;
    }

    Map<String, Timed> measure(Map<String, Variant> variants) throws Exception {
        return measure(variants, true);
    }

    /** {@code syncFirst} false leaves the setup's writes dirty: for timing the sync of what the setup wrote. */
    Map<String, Timed> measure(Map<String, Variant> variants, boolean syncFirst) throws Exception {
        List<String> names = new ArrayList<>(variants.keySet());
        names.sort(null);
        Map<String, long[]> times = new LinkedHashMap<>();
        Map<String, long[]> cpu = new LinkedHashMap<>();
        names.forEach(name -> {
            times.put(name, new long[reps]);
            cpu.put(name, new long[reps]);
        });
        for (int round = -1; round < reps; round++) {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(Math.floorMod(i + round, names.size()));
                Variant variant = variants.get(name);
                variant.setup().run();
                if (syncFirst) {
                    Shell.sync();
                }
                long cpuStart = cpuNanos();
                long start = System.nanoTime();
                variant.timed().run();
                long elapsed = System.nanoTime() - start;
                long cpuUsed = cpuNanos() - cpuStart;
                if (round >= 0) {
                    times.get(name)[round] = elapsed;
                    cpu.get(name)[round] = cpuUsed;
                }
            }
        }
        Map<String, Timed> result = new LinkedHashMap<>();
        times.forEach((name, nanos) -> result.put(name, new Timed(nanos, cpu.get(name))));
        return result;
    }

    /** CPU time of this process and of the children it has waited for, in nanoseconds. */
    private static long cpuNanos() {
        long own = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the command name (which is in parentheses and may hold spaces): cutime and cstime are
            // fields 16 and 17 of the whole line, in clock ticks of 10 ms.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            return own + ticks * 10_000_000L;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

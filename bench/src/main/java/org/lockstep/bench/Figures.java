package org.lockstep.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median, percentiles and the machine's load, as the benchmarks print them. */
final class Figures {

    private Figures() {
    }

    /** The nearest-rank percentile {@code p} (0-100) of {@code values}. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static double median(List<Double> values) {
        return percentile(values, 50);
    }

    /** {@code median / p90 / p99 / max} in ms, one decimal. */
    static String summary(List<Double> values) {
        return String.format("%.1f / %.1f / %.1f / %.1f", median(values), percentile(values, 90),
                percentile(values, 99), percentile(values, 100));
    }

    /** The 1, 5 and 15 minute load averages. */
    static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        }
        catch (IOException e) {
            return "unknown";
        }
    }

    static double millis(java.time.Instant from, java.time.Instant to) {
        return java.time.Duration.between(from, to).toNanos() / 1e6;
    }
}

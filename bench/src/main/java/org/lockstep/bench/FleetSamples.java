package org.lockstep.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Latencies (nanoseconds) gathered from many threads, and their percentiles in milliseconds. */
final class FleetSamples {

    private final List<Long> nanos = new ArrayList<>();

    synchronized void add(long value) {
        nanos.add(value);
    }

    synchronized int count() {
        return nanos.size();
    }

    /** The {@code p}-th percentile (0-100, nearest rank) in milliseconds, or NaN without samples. */
    synchronized double millis(double p) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
    }

    /** "p50 / p99 ms", e.g. {@code 3.1 / 12 ms}. */
    String p50p99() {
        return FleetSamples.format(millis(50)) + " / " + FleetSamples.format(millis(99)) + " ms";
    }

    static String format(double millis) {
        if (Double.isNaN(millis)) {
            return "-";
        }
        return millis >= 100 ? String.format("%.0f", millis) : millis >= 10 ? String.format("%.1f", millis)
                : String.format("%.2f", millis);
    }
}

package org.lockstep.manifest.page;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times and durations as an operator reads them: relative for the glance, absolute UTC for the incident notes. */
final class Times {

    private static final DateTimeFormatter ABSOLUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Times() {
    }

    /** {@code at} relative to {@code now}, with its absolute form; null for null. */
    static TimeText at(Instant at, Instant now) {
        return at == null ? null : new TimeText(relative(at, now), ABSOLUTE.format(at), at.toString());
    }

    static String clock(Instant at) {
        return CLOCK.format(at);
    }

    static String relative(Instant at, Instant now) {
        Duration ago = Duration.between(at, now);
        if (ago.isNegative()) {
            // A host clock slightly ahead of the manifest's: say so rather than print a negative age.
            return ago.abs().toSeconds() < 5 ? "just now" : "in " + duration(ago.abs());
        }
        return ago.toSeconds() < 5 ? "just now" : coarse(ago) + " ago";
    }

    /** A duration to a tenth of a second below a minute, then to the second, then to the minute. */
    static String duration(Duration d) {
        long millis = d.toMillis();
        if (millis < 10_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return coarse(d);
    }

    /** A short duration to the millisecond ("312 ms"); from 10 s on with its coarse form too ("12345 ms, 12 s"). */
    static String millis(Duration d) {
        long millis = d.toMillis();
        return millis < 10_000 ? millis + " ms" : millis + " ms, " + coarse(d);
    }

    private static String coarse(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min" + (s % 60 == 0 || s >= 600 ? "" : " " + (s % 60) + " s");
        }
        if (s < 86_400) {
            return (s / 3600) + " h" + ((s % 3600) / 60 == 0 ? "" : " " + (s % 3600) / 60 + " min");
        }
        return (s / 86_400) + " d" + ((s % 86_400) / 3600 == 0 ? "" : " " + (s % 86_400) / 3600 + " h");
    }

    /**
     * One moment, three ways.
     *
     * @param relative "4 min ago"
     * @param absolute "2026-11-26 12:03:04 UTC"
     * @param iso      for the {@code datetime} attribute
     */
    record TimeText(String relative, String absolute, String iso) {
    }
}

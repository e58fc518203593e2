package org.lockstep.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** How commits, times and errors read in the CLI's lines: short, in UTC, the same everywhere. */
final class Texts {

    static final int SHORT_COMMIT = 12;

    private Texts() {
    }

    static String commit(String commit) {
        if (commit == null) {
            return "-";
        }
        return commit.length() > SHORT_COMMIT ? commit.substring(0, SHORT_COMMIT) : commit;
    }

    /** {@code 2026-11-26T12:46:43Z}: whole seconds, UTC. */
    static String time(Instant at) {
        return at == null ? "-" : at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** {@code 3s ago}, {@code 2m10s ago}; {@code never} for null. */
    static String ago(Instant at, Instant now) {
        if (at == null) {
            return "never";
        }
        Duration age = Duration.between(at, now);
        if (age.toSeconds() <= 0) {
            return "just now";
        }
        return DurationConverter.format(age.truncatedTo(ChronoUnit.SECONDS)) + " ago";
    }

    /** {@code 2026-11-26T12:46:43Z (3m ago)}. */
    static String since(Instant at, Instant now) {
        return at == null ? "an unknown time" : time(at) + " (" + ago(at, now) + ")";
    }

    /** The first line of a possibly long, multi-line text (a verify command's output), bounded. */
    static String firstLine(String text, int max) {
        if (text == null) {
            return "-";
        }
        String line = text.strip().lines().findFirst().orElse("");
        boolean more = line.length() > max || text.strip().lines().count() > 1;
        return (line.length() > max ? line.substring(0, max) : line) + (more ? " ..." : "");
    }

    /** A multi-line text indented under a heading line. */
    static String indented(String text, String indent) {
        return text == null ? "" : text.strip().lines().map(l -> indent + l)
                .reduce((a, b) -> a + System.lineSeparator() + b).orElse("");
    }

    static String plural(int count, String word) {
        return count + " " + word + (count == 1 ? "" : "s");
    }
}

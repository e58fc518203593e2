package org.lockstep.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration as people write it in a CI file: {@code 15m}, {@code 90s}, {@code 1h30m}, {@code 500ms}, or
 * ISO-8601 ({@code PT15M}). Units: ms, s, m, h, d. Zero and negative durations are refused.
 */
final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");

    @Override
    public Duration convert(String text) {
        Duration duration = parse(text);
        if (duration.isZero() || duration.isNegative()) {
            throw new TypeConversionException("a duration must be positive: '" + text + "'");
        }
        return duration;
    }

    static Duration parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("p")) {
            try {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            catch (DateTimeParseException ex) {
                throw invalid(text);
            }
        }
        if (!WHOLE.matcher(value).matches()) {
            throw invalid(text);
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(value);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
        }
        return total;
    }

    private static TypeConversionException invalid(String text) {
        return new TypeConversionException("not a duration: '" + text + "' (examples: 15m, 90s, 1h30m, PT15M)");
    }

    /** How a duration reads in messages: 15m, 1m30s, 800ms. */
    static String format(Duration duration) {
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            return duration.toMillis() + "ms";
        }
        long seconds = duration.toSeconds();
        StringBuilder text = new StringBuilder();
        if (seconds >= 3600) {
            text.append(seconds / 3600).append('h');
        }
        if (seconds % 3600 >= 60) {
            text.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 != 0 || text.length() == 0) {
            text.append(seconds % 60).append('s');
        }
        return text.toString();
    }
}

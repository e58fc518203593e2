package org.lockstep.protocol;

import java.util.regex.Pattern;

/**
 * A host name as agents and the manifest use it: lower case letters, digits, dots and dashes, starting with a
 * letter or digit, at most 253 characters (a short name such as {@code schema1003} or a fully qualified one).
 */
public record HostName(String value) implements Comparable<HostName> {

    private static final Pattern VALID = Pattern.compile("^[a-z0-9][a-z0-9.-]{0,252}$");

    public HostName {
        if (value == null || !VALID.matcher(value).matches() || value.contains("..")) {
            throw new InvalidInputException("host",
                    "host name must match " + VALID.pattern() + ": " + Printable.of(value));
        }
    }

    public static HostName of(String value) {
        return new HostName(value);
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches() && !value.contains("..");
    }

    @Override
    public int compareTo(HostName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

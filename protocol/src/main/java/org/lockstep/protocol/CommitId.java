package org.lockstep.protocol;

import java.util.regex.Pattern;

/**
 * A full git object id in lower case hex: 40 characters (SHA-1) or 64 (SHA-256). Abbreviations and ref names are
 * refused, never guessed: CI always has the full id, and a guess could deploy the wrong commit.
 */
public record CommitId(String value) {

    private static final Pattern VALID = Pattern.compile("^(?:[0-9a-f]{40}|[0-9a-f]{64})$");

    public CommitId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new InvalidInputException("commit",
                    "commit must be a full lower-case hex object id (40 or 64 characters): " + Printable.of(value));
        }
    }

    public static CommitId of(String value) {
        return new CommitId(value);
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    /** The first 12 characters, for logs and pages. */
    public String abbreviated() {
        return value.substring(0, 12);
    }

    @Override
    public String toString() {
        return value;
    }
}

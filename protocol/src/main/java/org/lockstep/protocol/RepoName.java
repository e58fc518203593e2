package org.lockstep.protocol;

import java.util.regex.Pattern;

/**
 * A repository name: lower case letter first, then letters, digits and dashes, at most 63 characters.
 * The shape is checked before the name is used anywhere, in particular before it becomes part of a path.
 */
public record RepoName(String value) implements Comparable<RepoName> {

    private static final Pattern VALID = Pattern.compile("^[a-z][a-z0-9-]{0,62}$");

    public RepoName {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new InvalidInputException("repo",
                    "repository name must match " + VALID.pattern() + ": " + Printable.of(value));
        }
    }

    public static RepoName of(String value) {
        return new RepoName(value);
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    @Override
    public int compareTo(RepoName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

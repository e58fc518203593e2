package org.lockstep.agent.support;

import org.lockstep.testing.GitRepo;

/**
 * The content the agent's tests start from: a handful of schema-like files, an executable and inside symlinks, and
 * the short history most tests walk through.
 */
public final class Samples {

    /** Three commits on {@code main}, each a descendant of the one before. */
    public record History(String first, String second, String third) {
    }

    private Samples() {
    }

    /** Six schemas with a {@code latest.json} link each, a README and {@code bin/check.sh} (8 files, 6 links). */
    public static GitRepo schemas(GitRepo repo) {
        for (int i = 1; i <= 6; i++) {
            repo.write("jsonschema/event" + i + "/1.0.0.json", "{\"title\": \"event " + i + "\"}\n");
            repo.symlink("jsonschema/event" + i + "/latest.json", "1.0.0.json");
        }
        return repo.write("README.md", "schemas\n").executable("bin/check.sh", "#!/bin/sh\nexit 0\n");
    }

    /** {@link #schemas}, then a version 1.1.0 of event1, then a version 1.2.0 of it. */
    public static History history(GitRepo repo) {
        String first = schemas(repo).commit("first");
        String second = repo.write("jsonschema/event1/1.1.0.json", "{\"v\": 2}\n").commit("second");
        String third = repo.write("jsonschema/event1/1.2.0.json", "{\"v\": 3}\n").commit("third");
        return new History(first, second, third);
    }
}

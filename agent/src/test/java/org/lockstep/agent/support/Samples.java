package org.lockstep.agent.support;

import org.lockstep.testing.GitRepo;

/** The content the agent's tests start from: a handful of schema-like files, an executable and inside symlinks. */
public final class Samples {

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
}

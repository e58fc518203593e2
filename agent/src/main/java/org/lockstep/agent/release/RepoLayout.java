package org.lockstep.agent.release;

import java.nio.file.Path;

import org.lockstep.protocol.CommitId;
import org.lockstep.protocol.RepoName;

/**
 * Where one repository's files live under the base directory (DESIGN "Agent: files on disk"):
 * {@code mirror.git/}, {@code releases/<commit>/}, {@code current} and {@code next}.
 */
public record RepoLayout(String repo, Path root) {

    public static RepoLayout of(Path baseDir, String repo) {
        return new RepoLayout(repo, baseDir.resolve(RepoName.of(repo).value()));
    }

    public Path mirror() {
        return root.resolve("mirror.git");
    }

    public Path releases() {
        return root.resolve("releases");
    }

    public Path release(String commit) {
        return releases().resolve(CommitId.of(commit).value());
    }

    public Path current() {
        return root.resolve("current");
    }

    public Path next() {
        return root.resolve("next");
    }

    /** The symlink target for a release, relative so the tree can be moved or bind-mounted as a whole. */
    static String linkTarget(String commit) {
        return "releases/" + CommitId.of(commit).value();
    }
}

package org.lockstep.agent.health;

import java.nio.file.Files;

import org.lockstep.agent.release.Links;
import org.lockstep.agent.release.RepoLayout;
import org.lockstep.agent.release.Servable;

/**
 * What a repository's {@code current} serves, read from disk.
 *
 * @param commit        the release {@code current} links to, when it is a complete release of this agent
 *                      ({@link Servable}); {@code null} otherwise
 * @param anything      whether the web server finds anything at {@code current}: a release, an adopted checkout
 *                      behind a link, or a real directory (a pre-Lockstep checkout)
 * @param realDirectory whether {@code current} is a real directory (fenced: never a release the manifest made
 *                      active)
 */
record Served(String commit, boolean anything, boolean realDirectory) {

    static Served of(RepoLayout layout) {
        Links.State state = Links.state(layout.current());
        if (state instanceof Links.ToRelease) {
            // A dangling link serves nothing; an unmarked release is not one this agent built.
            return Servable.commit(layout, layout.current()).map(commit -> new Served(commit, true, false))
                    .orElseGet(() -> new Served(null, Files.isDirectory(layout.current()), false));
        }
        if (state instanceof Links.NotALink) {
            return new Served(null, Files.isDirectory(layout.current()), true);
        }
        // An adopted checkout behind a link, or nothing at all.
        return new Served(null, state instanceof Links.Foreign && Files.isDirectory(layout.current()), false);
    }

    /** Whether the host serves exactly {@code active}, a release the manifest made active. */
    boolean serves(String active) {
        return commit != null && commit.equals(active);
    }
}

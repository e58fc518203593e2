package org.lockstep.agent.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.lockstep.agent.release.Links;
import org.lockstep.agent.release.Releases;
import org.lockstep.agent.release.RepoLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent does for each repository when it starts, before it talks to anyone: deal with a checkout from
 * before Lockstep, remove what a kill left half-done, and make sure no link dangles.
 */
final class Recovery {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {
    }

    /** Returns why the repository must not be touched, or empty when it is ready for syncing. */
    static Optional<String> recover(RepoLayout layout, boolean adoptExisting, String host) throws IOException {
        String repo = layout.repo();
        Files.createDirectories(layout.root());
        if (Links.state(layout.current()) instanceof Links.NotALink) {
            if (!adoptExisting) {
                return Optional.of("current is a real directory (" + layout.current() + "), not a link; refusing to"
                        + " touch it; set lockstep.agent.adopt-existing=true to move it aside");
            }
            Path aside = Releases.adopt(layout);
            log.warn("adopted existing checkout repo={} host={} movedTo={} (current links to it until the first"
                    + " activation; delete it after that)", repo, host, aside);
        }
        for (Path leftover : Releases.removeLeftovers(layout)) {
            log.warn("removed crash leftover repo={} host={} path={}", repo, host, leftover);
        }
        Optional<String> next = Links.commit(layout.next());
        if (next.isPresent() && !Files.isDirectory(layout.release(next.get()))) {
            log.warn("next dangles, removing it repo={} commit={} host={}", repo, next.get(), host);
            Links.remove(layout.next());
        }
        Optional<String> current = Links.commit(layout.current());
        if (current.isPresent() && !Files.isDirectory(layout.release(current.get()))) {
            log.error("current dangles; it is rebuilt when the manifest names it active repo={} commit={} host={}",
                    repo, current.get(), host);
        }
        log.info("recovered repo={} host={} current={} next={} releases={}", repo, host, current.orElse(null),
                Links.commit(layout.next()).orElse(null), Releases.list(layout).size());
        return Optional.empty();
    }
}

package org.lockstep.agent.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.lockstep.agent.release.Links;
import org.lockstep.agent.release.Releases;
import org.lockstep.agent.release.RepoLayout;
import org.lockstep.agent.release.Servable;
import org.lockstep.protocol.LogText;
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
            log.warn("event=checkout-adopted repo={} host={} movedTo={} hint=\"current links to it until the first"
                    + " activation; delete it after that\"", repo, host, LogText.quoted(aside.toString()));
        }
        for (Path leftover : Releases.removeLeftovers(layout)) {
            log.warn("event=crash-leftover-removed repo={} host={} path={}", repo, host,
                    LogText.quoted(leftover.toString()));
        }
        Optional<String> repaired = Servable.repairNext(layout);
        if (repaired.isPresent()) {
            log.warn("event=next-repaired repo={} host={} was={} action=removed hint=\"not a release of this agent\"",
                    repo, host, LogText.quoted(repaired.get()));
        }
        Optional<String> current = Links.commit(layout.current());
        if (current.isPresent() && !Releases.isComplete(layout, current.get())) {
            log.error("event=dangling-current repo={} commit={} host={} hint=\"not a complete release of this agent;"
                    + " rebuilt when the manifest names it active\"", repo, current.get(), host);
        }
        log.info("event=recovered repo={} host={} current={} next={} releases={}", repo, host,
                current.orElse(null), Links.commit(layout.next()).orElse(null), Releases.list(layout).size());
        return Optional.empty();
    }
}

package org.lockstep.agent.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@code current} and {@code next} may serve: only complete releases this agent built ({@link Markers}). A
 * link to anything else (a planted or hand-made target, a release without its marker, a dangling link) counts as
 * serving nothing, and {@code next}, which no activation guards, is repaired at once.
 */
public final class Servable {

    private Servable() {
    }

    /** The commit {@code link} serves, if it points at a complete release of this agent. */
    public static Optional<String> commit(RepoLayout layout, Path link) {
        return Links.commit(link).filter(commit -> Markers.isComplete(layout, commit));
    }

    /**
     * Removes {@code next} when it points at anything but a complete release (read-through then serves nothing
     * extra until the next preparation links it again); a real directory there is moved aside to
     * {@code next.aside-<time>}. Returns what {@code next} was, when it had to be repaired (a link target on disk is
     * anyone's text: quote it before logging it).
     */
    public static Optional<String> repairNext(RepoLayout layout) throws IOException {
        Links.State state = Links.state(layout.next());
        if (state instanceof Links.Absent
                || state instanceof Links.ToRelease release && Markers.isComplete(layout, release.commit())) {
            return Optional.empty();
        }
        String was;
        if (state instanceof Links.ToRelease release) {
            was = "releases/" + release.commit() + " (not a complete release)";
        }
        else if (state instanceof Links.Foreign foreign) {
            was = foreign.target();
        }
        else {
            Path aside = layout.root().resolve("next.aside-" + Instant.now().toEpochMilli());
            Files.move(layout.next(), aside);
            Links.syncDirectory(layout.root());
            return Optional.of("a real directory or file, moved to " + aside.getFileName());
        }
        Links.remove(layout.next());
        return Optional.of(was);
    }
}

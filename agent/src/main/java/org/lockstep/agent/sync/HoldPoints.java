package org.lockstep.agent.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lockstep.agent.debug.hold-at}: lets crash tests stop the agent at an exact point and kill it there. When
 * the configured point is reached the agent logs {@code event=hold-reached point=... repo=... commit=...} and
 * blocks forever.
 * Points: {@code fetch} (inside the fetch, once the transfer has begun), {@code materialize} (half the files
 * written), {@code before-link} (release renamed into place, {@code next} not yet linked), {@code before-report}
 * ({@code next} linked, not yet reported). {@code <point>:<repo>} holds only that repository (its thread; the
 * others go on), e.g. {@code materialize:secondary}.
 */
public final class HoldPoints {

    public static final String FETCH = "fetch";

    public static final String MATERIALIZE = "materialize";

    public static final String BEFORE_LINK = "before-link";

    public static final String BEFORE_REPORT = "before-report";

    private static final Logger log = LoggerFactory.getLogger(HoldPoints.class);

    private final String holdAt;

    private final String repo;

    public HoldPoints(String holdAt) {
        String spec = holdAt == null ? "" : holdAt.trim();
        int colon = spec.indexOf(':');
        this.holdAt = colon < 0 ? spec : spec.substring(0, colon);
        this.repo = colon < 0 ? "" : spec.substring(colon + 1);
    }

    public void reached(String point, String repo, String commit) {
        if (!point.equals(holdAt) || !this.repo.isEmpty() && !this.repo.equals(repo)) {
            return;
        }
        log.warn("event=hold-reached point={} repo={} commit={}", point, repo, commit);
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            }
            catch (InterruptedException e) {
                // Deliberately not leaving: the point of a hold is that only a kill ends it.
                Thread.interrupted();
            }
        }
    }
}

package org.lockstep.agent.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: 1 s, 2 s, 4 s ... up to a maximum, each wait drawn between half and all of the
 * step so that a fleet cut off together does not come back in lockstep and hammer a recovering manifest.
 */
public final class Backoff {

    private static final Duration FIRST = Duration.ofSeconds(1);

    private final Duration max;

    private int failures;

    public Backoff(Duration max) {
        this.max = max;
    }

    public Duration next() {
        long step = Math.min(max.toMillis(), FIRST.toMillis() << Math.min(failures, 20));
        failures++;
        return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
    }

    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }
}

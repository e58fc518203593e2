package org.lockstep.cli;

import java.time.Duration;

import picocli.CommandLine.Option;

/** How long and how often to look while waiting for a rollout. */
final class WaitOptions {

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15m",
            description = "Give up waiting after this long (15m, 90s, 1h30m, PT15M; default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "1s",
            description = "How often to ask the manifest while waiting (default: ${DEFAULT-VALUE}).")
    private Duration pollInterval;

    Duration timeout() {
        return timeout;
    }

    Duration pollInterval() {
        return pollInterval;
    }
}

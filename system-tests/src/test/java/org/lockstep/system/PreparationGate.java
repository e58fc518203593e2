package org.lockstep.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.lockstep.testing.Dirs;

/**
 * Holds one host's preparation of a repository for exactly as long as a test says, through the agent's own
 * {@code verify-command}: the command waits while the gate is closed, so the release stays half-made (not renamed,
 * {@code next} not linked, not reported) and the agent's other repositories go on. The debug hold point
 * ({@code lockstep.agent.debug.hold-at}) blocks until the agent is killed, which would cost a restart per rollout;
 * the gate opens in milliseconds, as often as needed, in the same agent process. Released when made.
 */
final class PreparationGate {

    private final Path dir = Dirs.worldReadableTempDir("lockstep-gate-");

    private final Path open = dir.resolve("open");

    PreparationGate() {
        release();
    }

    /** The verify command to configure: waits (polling every 20 ms) while the gate holds, then succeeds. */
    String verifyCommand() {
        return "while [ ! -e " + open + " ]; do sleep 0.02; done";
    }

    /** From now on a preparation waits at its verify step; one already past it is not held. */
    void hold() {
        try {
            Files.deleteIfExists(open);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Lets every waiting preparation go on (within 20 ms), and every later one pass. */
    void release() {
        try {
            Files.writeString(open, "");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Removes the gate's directory (a preparation still waiting then fails its verify step). */
    void remove() {
        Dirs.delete(dir);
    }
}

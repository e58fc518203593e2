package org.lockstep.bench;

import java.nio.file.Path;

import org.lockstep.testing.Trees;

/**
 * A fast wrong answer does not count: every release the agent made must be what {@code git archive} gives, by
 * test-support's one tree comparison (same paths, and for each the same kind, bytes, executable bit and link
 * target).
 */
final class Verify {

    private Verify() {
    }

    static void sameAsArchive(Path release, Path archive) {
        Trees.assertSameTree(archive, release);
    }
}

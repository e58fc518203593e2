package org.lockstep.system;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

import org.lockstep.testing.CraftedTree;

/**
 * Trees git's porcelain never writes and git's fsck refuses, each on top of what the last good commit serves, as a
 * hostile merge would bring them: the same name twice (a symlink, then a file through it), a {@code .git} directory
 * whose configuration would run a command, and its spellings a case-folding file system takes for {@code .git}.
 */
final class HostileTrees {

    private static final List<Function<String, Consumer<CraftedTree>>> KINDS = List.of(
            // A name twice: a symlink into the served schema, then a file of the same name written through it.
            served -> tree -> tree.copyOf(served).symlink("owned", "jsonschema/soak/latest")
                    .file("owned", "written through the link\n"),
            // A .git directory: git run inside current/ would read it (core.fsmonitor runs a command).
            served -> tree -> tree.copyOf(served).tree(".git", git -> git.file("config",
                    "[core]\n\tfsmonitor = touch /tmp/lockstep-soak-pwned\n").file("HEAD", "ref: refs/heads/main\n")),
            // What HFS+ and NTFS fold to .git.
            served -> tree -> tree.copyOf(served).tree(".GIT", git -> git.file("config", "[core]\n\tbare = false\n")),
            served -> tree -> tree.copyOf(served).tree("git~1", git -> git.file("config", "[core]\n")));

    private HostileTrees() {
    }

    /** One of the hostile trees, at random, on top of the tree of {@code served}. */
    static Consumer<CraftedTree> pick(Random random, String served) {
        return KINDS.get(random.nextInt(KINDS.size())).apply(served);
    }
}

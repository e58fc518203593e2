package org.lockstep.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.lockstep.testing.Processes;

/**
 * The git CLI and coreutils steps the benchmark times or sets up with, run through test-support's
 * {@link Processes} (isolated from the machine's git configuration, failing loudly).
 */
final class Shell {

    private Shell() {
    }

    static String run(Path cwd, String... command) {
        return Processes.run(cwd, command);
    }

    static String run(Path cwd, Map<String, String> env, String... command) {
        return Processes.run(cwd, env, command);
    }

    /** {@code git archive <commit> | tar -x -C dir} (dir is made first). */
    static void archive(Path cwd, String gitDir, String commit, Path dir) {
        run(cwd, "bash", "-o", "pipefail", "-c",
                "mkdir \"$1\" && git --git-dir=\"$2\" archive \"$3\" | tar -x -C \"$1\"", "bash", dir.toString(),
                gitDir, commit);
    }

    /** {@code du -skc} of the directories together: an inode shared by several is counted once. */
    static long du(Path... dirs) {
        List<String> command = new ArrayList<>(List.of("du", "-skc"));
        for (Path dir : dirs) {
            command.add(dir.toString());
        }
        String[] lines = run(dirs[0].getParent(), command.toArray(String[]::new)).trim().split("\n");
        return Long.parseLong(lines[lines.length - 1].split("\\s+")[0]);
    }

    static void rm(Path path) {
        run(path.getParent(), "rm", "-rf", path.toString());
    }

    /** Writes back everything dirty, so that a timed step does not pay for its predecessor's writes. */
    static void sync() {
        run(Path.of("/"), "sync");
    }

    static String loadavg() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        }
        catch (IOException e) {
            return "?";
        }
    }
}

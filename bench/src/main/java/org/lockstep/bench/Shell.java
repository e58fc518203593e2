package org.lockstep.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The processes the benchmark starts (git, tar, du, sync), isolated from the machine's git configuration. */
final class Shell {

    private static final long TIMEOUT_SECONDS = 600;

    private Shell() {
    }

    static String run(Path cwd, String... command) {
        return run(cwd, Map.of(), command);
    }

    /** Runs {@code command} with stdin from /dev/null; fails loudly on a non-zero exit. */
    static String run(Path cwd, Map<String, String> env, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
            Map<String, String> environment = builder.environment();
            environment.put("GIT_CONFIG_NOSYSTEM", "1");
            environment.put("GIT_CONFIG_GLOBAL", "/dev/null");
            environment.put("GIT_AUTHOR_NAME", "Bench");
            environment.put("GIT_AUTHOR_EMAIL", "bench@example.org");
            environment.put("GIT_COMMITTER_NAME", "Bench");
            environment.put("GIT_COMMITTER_EMAIL", "bench@example.org");
            environment.putAll(env);
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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

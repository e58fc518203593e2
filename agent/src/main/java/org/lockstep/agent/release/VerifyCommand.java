package org.lockstep.agent.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs a repository's {@code verify-command} with {@code sh -c} inside a new release before it may be linked.
 * Output goes to a file beside the releases (never into the release) and its tail is kept for the report.
 */
final class VerifyCommand {

    private static final int TAIL = 2000;

    private VerifyCommand() {
    }

    static void run(String command, Path release, Path scratch, Duration timeout, String repo, String commit)
            throws IOException {
        Path output = Files.createTempFile(scratch, ".verify-" + commit + "-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command)
                    .directory(release.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().put("LOCKSTEP_REPO", repo);
            builder.environment().put("LOCKSTEP_COMMIT", commit);
            Process process = builder.start();
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                kill(process);
                Thread.currentThread().interrupt();
                throw new VerifyFailed("verify-command interrupted");
            }
            if (!finished) {
                kill(process);
                throw new VerifyFailed("verify-command timed out after " + timeout.toSeconds() + "s: " + command
                        + "; output: " + tail(output));
            }
            if (process.exitValue() != 0) {
                throw new VerifyFailed("verify-command exited with " + process.exitValue() + ": " + command
                        + "; output: " + tail(output));
            }
        }
        finally {
            Files.deleteIfExists(output);
        }
    }

    /** Kills the shell and whatever it started, so a hung check cannot outlive its timeout. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path output) throws IOException {
        String text = new String(Files.readAllBytes(output), StandardCharsets.UTF_8).strip();
        return text.length() <= TAIL ? text : "..." + text.substring(text.length() - TAIL);
    }
}

package org.lockstep.agent.release;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Makes a release durable before it is renamed into place and reported prepared: one {@code syncfs(2)} of the file
 * system that holds it, through {@code sync --file-system} (coreutils), since Java has no {@code syncfs}. One call
 * writes back every file, symlink, hard link and directory of the release together, at the cost of one process
 * start; {@code fsync} per file would cost a journal commit per file (measured in bench/, see docs/agent.md).
 */
public final class FileSystemSync {

    private static final long TIMEOUT_SECONDS = 300;

    private FileSystemSync() {
    }

    /** Writes back everything dirty on the file system that holds {@code path}; returns when it is on disk. */
    public static void sync(Path path) throws IOException {
        Process process = new ProcessBuilder("sync", "--file-system", path.toString())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("sync --file-system " + path + " did not finish in " + TIMEOUT_SECONDS + "s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("sync --file-system " + path + " exited with " + process.exitValue() + ": "
                        + output);
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while syncing " + path, e);
        }
    }
}

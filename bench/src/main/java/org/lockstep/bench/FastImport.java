package org.lockstep.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds commits with {@code git fast-import}: no work tree, so a repository of 40,000 entries takes seconds, not
 * minutes, on a disk that is slow at creating small files. Each commit lists the entries it changes (a
 * {@code null} content deletes the path).
 */
final class FastImport {

    /** One entry of a commit: a regular or executable file, or a symlink whose content is its target. */
    record Entry(String mode, byte[] content) {

        static Entry file(String text) {
            return new Entry("100644", text.getBytes(StandardCharsets.UTF_8));
        }

        static Entry executable(String text) {
            return new Entry("100755", text.getBytes(StandardCharsets.UTF_8));
        }

        static Entry symlink(String target) {
            return new Entry("120000", target.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Path script;

    private final OutputStream stream;

    private int commits;

    /** The stream for fast-import goes to {@code script} (the benchmark's heap is the agent's: small). */
    FastImport(Path script) {
        try {
            this.script = script;
            this.stream = new BufferedOutputStream(Files.newOutputStream(script), 1 << 16);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds a commit on {@code main} (on top of the previous one) that sets or removes these paths. */
    FastImport commit(String message, Map<String, Entry> changes) {
        begin(message);
        changes.forEach(this::put);
        return this;
    }

    /** Starts a commit on {@code main} (on top of the previous one); {@link #put} adds its changes. */
    FastImport begin(String message) {
        if (commits > 0) {
            text("\n");
        }
        commits++;
        text("commit refs/heads/main\n");
        text("mark :" + commits + "\n");
        text("committer Bench <bench@example.org> " + (1_700_000_000L + commits * 60L) + " +0000\n");
        data(message.getBytes(StandardCharsets.UTF_8));
        if (commits > 1) {
            text("from :" + (commits - 1) + "\n");
        }
        return this;
    }

    /** Sets {@code path} in the commit begun last ({@code null} removes it). */
    FastImport put(String path, Entry entry) {
        if (entry == null) {
            text("D " + path + "\n");
        }
        else {
            text("M " + entry.mode() + " inline " + path + "\n");
            data(entry.content());
        }
        return this;
    }

    /**
     * Writes the commits into a new bare repository at {@code dir}, repacked into one pack with deltas as a server
     * keeps it, and returns the ids of the commits in order.
     */
    String[] into(Path dir) {
        try {
            text("\n");
            stream.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Shell.run(dir.getParent(), "git", "init", "-q", "--bare", "-b", "main", dir.toString());
        Shell.run(dir, "sh", "-c", "git fast-import --quiet < \"$1\"", "sh", script.toString());
        Shell.rm(script);
        Shell.run(dir, "git", "repack", "-adq");
        String[] ids = new String[commits];
        for (int i = 0; i < commits; i++) {
            ids[i] = Shell.run(dir, "git", "rev-parse", "main~" + (commits - 1 - i)).trim();
        }
        return ids;
    }

    private void text(String s) {
        write(s.getBytes(StandardCharsets.UTF_8));
    }

    private void data(byte[] content) {
        text("data " + content.length + "\n");
        write(content);
        text("\n");
    }

    private void write(byte[] bytes) {
        try {
            stream.write(bytes);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

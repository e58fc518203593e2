package org.lockstep.manifest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.TimeZone;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * A real git repository in a temporary directory, built with JGit's porcelain, that the manifest fetches over a
 * {@code file://} URL. Commits go to {@code main} unless a side branch is asked for.
 */
public final class UpstreamRepository implements AutoCloseable {

    static {
        IsolatedGit.install();
    }

    private static final PersonIdent AUTHOR = new PersonIdent("Lockstep Test", "test@lockstep.invalid");

    private final Path dir;

    private final Git git;

    private int commits;

    private UpstreamRepository(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    public static UpstreamRepository create(Path dir) {
        try {
            Files.createDirectories(dir);
            return new UpstreamRepository(dir, Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (GitAPIException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The URL the manifest is configured with. */
    public String url() {
        return dir.toUri().toString();
    }

    public Path dir() {
        return dir;
    }

    /** Adds a commit to {@code main}; returns its full id. */
    public synchronized String commit(String message) {
        return commitOn("main", message);
    }

    /** Adds a commit on {@code branch} (created from {@code main} if new), then goes back to {@code main}. */
    public synchronized String commitOn(String branch, String message) {
        try {
            boolean exists = git.getRepository().findRef("refs/heads/" + branch) != null;
            boolean empty = git.getRepository().resolve("HEAD") == null;
            if (!branch.equals("main")) {
                git.checkout().setName(branch).setCreateBranch(!exists).call();
            }
            Path file = dir.resolve("file-" + (++commits) + ".json");
            Files.writeString(file, "{\"n\": " + commits + "}\n", StandardCharsets.UTF_8);
            git.add().addFilepattern(".").call();
            PersonIdent when = new PersonIdent(AUTHOR, Instant.now(), TimeZone.getTimeZone("UTC").toZoneId());
            String id = git.commit().setMessage(message).setAuthor(when).setCommitter(when).setSign(false).call()
                    .name();
            if (!branch.equals("main") && !empty) {
                git.checkout().setName("main").call();
            }
            return id;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (GitAPIException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        git.close();
    }
}

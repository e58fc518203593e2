package org.lockstep.manifest.page;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/** A real git repository on disk, built with JGit's porcelain, that the manifest fetches over a file:// URL. */
final class SchemaRepository implements AutoCloseable {

    private final Path dir;

    private final Git git;

    private SchemaRepository(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    static SchemaRepository create(Path dir) {
        try {
            Files.createDirectories(dir);
            return new SchemaRepository(dir, Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
        }
        catch (IOException | GitAPIException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Commits one file on {@code main}; returns the full commit id. */
    String commit(String subject, String author, Instant when, String file, String content) {
        try {
            Path path = dir.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, content);
            git.add().addFilepattern(".").call();
            PersonIdent ident = new PersonIdent(author, author.toLowerCase().replace(' ', '.') + "@example.org",
                    when, ZoneOffset.UTC);
            return git.commit().setMessage(subject).setAuthor(ident).setCommitter(ident).setSign(false).call()
                    .name();
        }
        catch (IOException | GitAPIException ex) {
            throw new IllegalStateException(ex);
        }
    }

    String url() {
        return dir.toUri().toString();
    }

    @Override
    public void close() {
        git.close();
    }
}

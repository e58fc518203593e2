package org.lockstep.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A schema repository shaped like the real ones: {@code jsonschema/<name>/<version>.yaml}, an extensionless
 * {@code <version>} symlink and a {@code latest} symlink per schema. Built with the git CLI, exported by git daemon.
 */
final class SchemaRepo {

    static final String BRANCH = "main";

    private final Path work;

    private final Path bare;

    /** Creates the working clone under {@code root/work-<name>} and the bare repository {@code root/<name>.git}. */
    SchemaRepo(Path root, String name) {
        this.work = root.resolve("work-" + name);
        this.bare = root.resolve(name + ".git");
        Processes.run(root, "git", "init", "-q", "--bare", "-b", BRANCH, bare.toString());
        Processes.run(root, "git", "init", "-q", "-b", BRANCH, work.toString());
        git("config", "user.name", "Schema Author");
        git("config", "user.email", "schemas@example.org");
        git("remote", "add", "origin", bare.toString());
    }

    /** Adds a schema version, points {@code latest} at it, commits and pushes; returns the commit id. */
    String addVersion(String schema, String version) {
        try {
            Path dir = work.resolve("jsonschema").resolve(schema);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(version + ".yaml"), """
                    title: %s
                    $id: /%s/%s
                    type: object
                    properties:
                      meta: {type: object}
                    """.formatted(schema, schema, version));
            Path versionLink = dir.resolve(version);
            Files.deleteIfExists(versionLink);
            Files.createSymbolicLink(versionLink, Path.of(version + ".yaml"));
            Path latest = dir.resolve("latest");
            Files.deleteIfExists(latest);
            Files.createSymbolicLink(latest, Path.of(version + ".yaml"));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        git("add", "-A");
        git("commit", "-q", "-m", "Add " + schema + " " + version);
        git("push", "-q", "origin", BRANCH);
        return git("rev-parse", "HEAD").trim();
    }

    /** A commit that is not on the branch (an unmerged change), pushed to another branch. */
    String unmergedCommit() {
        git("checkout", "-q", "-b", "feature");
        try {
            Files.writeString(work.resolve("unmerged.txt"), "not reviewed\n");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        git("add", "-A");
        git("commit", "-q", "-m", "Unmerged change");
        git("push", "-q", "origin", "feature");
        String id = git("rev-parse", "HEAD").trim();
        git("checkout", "-q", BRANCH);
        return id;
    }

    /** Extracts {@code git archive <commit>} into {@code into}: the reference a release must equal. */
    void archive(String commit, Path into) {
        try {
            Files.createDirectories(into);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Processes.run(work, "sh", "-c", "git archive --format=tar " + commit + " | tar -x -C '" + into + "'");
    }

    Path bare() {
        return bare;
    }

    private String git(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        return Processes.run(work, command);
    }
}

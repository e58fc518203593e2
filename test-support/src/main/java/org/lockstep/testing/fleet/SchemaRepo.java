package org.lockstep.testing.fleet;

import java.nio.file.Path;
import java.time.Instant;

import org.lockstep.testing.GitRepo;

/**
 * A schema repository shaped like the real ones: {@code jsonschema/<name>/<version>.yaml}, an extensionless
 * {@code <version>} symlink and a {@code latest} symlink per schema. Built in a working clone with {@link GitRepo}
 * and pushed to the bare repository {@code git daemon} serves, as a real merge would reach the server.
 */
public final class SchemaRepo {

    public static final String BRANCH = GitRepo.BRANCH;

    private final GitRepo work;

    private final GitRepo bare;

    /** Creates the working clone {@code root/work-<name>} and the bare repository {@code root/<name>.git}. */
    public SchemaRepo(Path root, String name) {
        this.bare = GitRepo.initBare(root.resolve(name + ".git"));
        this.work = GitRepo.init(root.resolve("work-" + name));
    }

    /** Adds a schema version, points {@code latest} at it, commits and pushes; returns the commit id. */
    public String addVersion(String schema, String version) {
        return add(schema, version, """
                properties:
                  meta: {type: object}
                """);
    }

    /**
     * As {@link #addVersion}, a schema whose properties come from another schema by its served URL
     * ({@code allOf: [{$ref: <ref>}]}), as the real {@code secondary} repository's do from {@code primary}'s (its
     * {@code .jsonschema-tools.yaml} resolves them under {@code .../repositories/primary/jsonschema/}).
     */
    public String addVersionReferencing(String schema, String version, String ref) {
        return add(schema, version, """
                allOf:
                  - $ref: %s
                """.formatted(ref));
    }

    /** The URL path under which hosts serve version {@code version} of {@code schema} of repository {@code repo}. */
    public static String servedPath(String repo, String schema, String version) {
        return "/repositories/" + repo + "/jsonschema/" + schema + "/" + version;
    }

    private String add(String schema, String version, String body) {
        String dir = "jsonschema/" + schema + "/";
        work.write(dir + version + ".yaml", """
                title: %s
                $id: /%s/%s
                type: object
                """.formatted(schema, schema, version) + body)
                .symlink(dir + version, version + ".yaml")
                .symlink(dir + "latest", version + ".yaml");
        String commit = work.commitAs("Add " + schema + " " + version, "Schema Author", Instant.now());
        work.push(bare);
        return commit;
    }

    /** A commit that is not on the branch (an unmerged change), pushed to the branch {@code feature}. */
    public String unmergedCommit() {
        work.checkout("feature");
        try {
            work.write("unmerged.txt", "not reviewed\n");
            String id = work.commitAs("Unmerged change", "Schema Author", Instant.now());
            work.push(bare);
            return id;
        }
        finally {
            work.checkout(BRANCH);
        }
    }

    /** Extracts {@code git archive <commit>} into {@code into}: the reference a release must equal. */
    public Path archive(String commit, Path into) {
        return work.archive(commit, into);
    }

    public Path bare() {
        return bare.dir();
    }

    /** The working clone, for a commit of the test's own making (then {@link #push()}). */
    public GitRepo work() {
        return work;
    }

    /** Pushes every branch of the working clone to the served repository. */
    public void push() {
        work.push(bare);
    }
}

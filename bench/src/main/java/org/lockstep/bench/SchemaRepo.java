package org.lockstep.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A repository of the real schema repositories' shape: under {@code jsonschema/<group>/[<sub>/]<schema>/}, every
 * schema has 2 to 6 versioned files ({@code 1.0.0.yaml}, {@code 1.1.0.yaml}, ...), each successive version a
 * small edit of the one before, the editable {@code current.yaml}, an extensionless symlink per version
 * ({@code 1.1.0 -> 1.1.0.yaml}) and {@code latest -> <newest version>}. So {@code n} files come with {@code n}
 * symlinks in about {@code n / 5 + n / 100} directories (5,000 files: 1,000 schemas in 1,051 directories).
 *
 * <p>Three commits: c1; c2 changes one file ({@code current.yaml} of one schema); c3 bumps another schema (a new
 * version file, {@code current.yaml} changed, a new version symlink, {@code latest} moved).
 */
final class SchemaRepo {

    private static final String[] WORDS = {"analytics", "mediawiki", "page", "revision", "user", "session", "click",
        "edit", "search", "button", "impression", "render", "request", "error", "client", "server", "stream",
        "state", "change", "create", "delete", "score", "link", "image", "media", "upload", "login", "banner",
        "campaign", "reading", "talk", "mobile", "desktop", "api", "job", "queue", "cache", "purge", "tag", "wiki"};

    private SchemaRepo() {
    }

    static Repo generate(Path base, int n) {
        Random random = new Random(n);
        int schemas = Math.max(1, n / 5);
        int groups = Math.max(1, schemas / 25);
        int subs = Math.max(1, schemas / 100);
        Path remote = base.resolve("remote.git");
        RepoWriter commits = new RepoWriter(remote);
        List<String> schemaDirs = new ArrayList<>();
        Map<String, String> currents = new java.util.HashMap<>();
        int files = 0;
        int symlinks = 0;
        List<Integer> versionCounts = new ArrayList<>();
        java.util.Set<String> dirs = new java.util.TreeSet<>();
        long bytes = 0;
        int delta = 0;
        for (int s = 0; s < schemas; s++) {
            // Pairs of schemas with 4 - d and 4 + d versions: exactly 4 versions per schema on average.
            delta = s % 2 == 0 ? random.nextInt(5) - 2 : -delta;
            int versions = s == schemas - 1 && s % 2 == 0 ? 4 : 4 + delta;
            String group = "jsonschema/" + WORDS[s % groups % WORDS.length] + (s % groups >= WORDS.length
                    ? "_" + s % groups : "");
            String dir = s % 4 == 3 ? group + "/" + "legacy" + s % subs : group;
            String schema = dir + "/" + WORDS[random.nextInt(WORDS.length)] + "_" + WORDS[random.nextInt(
                    WORDS.length)] + "_" + s;
            addDirs(dirs, schema);
            schemaDirs.add(schema);
            versionCounts.add(versions);
            Schema content = new Schema(schema.substring("jsonschema/".length()), random);
            String text = null;
            for (int v = 0; v < versions; v++) {
                text = content.next();
                String version = "1." + v + ".0";
                commits.file(schema + "/" + version + ".yaml", text);
                commits.symlink(schema + "/" + version, version + ".yaml");
                bytes += text.length();
            }
            commits.file(schema + "/current.yaml", text);
            commits.symlink(schema + "/latest", "1." + (versions - 1) + ".0");
            if (s == schemas / 2 || s == schemas / 3) {
                currents.put(schema, text);
            }
            bytes += text.length();
            files += versions + 1;
            symlinks += versions + 1;
        }

        commits.commit("c1");
        String changed = schemaDirs.get(schemas / 2);
        commits.file(changed + "/current.yaml", currents.get(changed) + "  changed_field:\n    type: string\n")
                .commit("c2: one file");
        String bumped = schemaDirs.get(schemas / 3);
        String next = "1." + versionCounts.get(schemas / 3) + ".0";
        String text = currents.get(bumped) + "  bumped_field:\n    type: integer\n";
        commits.file(bumped + "/" + next + ".yaml", text).symlink(bumped + "/" + next, next + ".yaml")
                .file(bumped + "/current.yaml", text).symlink(bumped + "/latest", next).commit("c3: one schema bumped");
        String[] ids;
        try (commits) {
            ids = commits.done();
        }
        return new Repo("schemas", remote, ids, files, 0, symlinks, dirs.size(), bytes);
    }

    private static void addDirs(java.util.Set<String> dirs, String path) {
        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
            dirs.add(path.substring(0, slash));
        }
        dirs.add(path);
    }

    /** Successive versions of one schema: each adds a property to the one before, as schema evolution does. */
    private static final class Schema {

        private final String name;

        private final Random random;

        private final StringBuilder properties = new StringBuilder();

        private int version;

        Schema(String name, Random random) {
            this.name = name;
            this.random = random;
            int start = 3 + random.nextInt(random.nextInt(10) < 8 ? 12 : 60);
            for (int i = 0; i < start; i++) {
                addProperty();
            }
        }

        String next() {
            if (version > 0) {
                addProperty();
            }
            String id = "1." + version++ + ".0";
            return "title: " + name + "\n"
                    + "description: " + sentence() + "\n"
                    + "$id: /" + name + "/" + id + "\n"
                    + "$schema: https://json-schema.org/draft-07/schema#\n"
                    + "type: object\n"
                    + "required:\n  - $schema\n  - meta\n"
                    + "properties:\n"
                    + "  $schema:\n    type: string\n"
                    + "    description: A URI identifying the JSONSchema for this event.\n"
                    + "  meta:\n    type: object\n    properties:\n      dt:\n        type: string\n"
                    + "        format: date-time\n      stream:\n        type: string\n"
                    + properties;
        }

        private void addProperty() {
            String type = random.nextInt(3) == 0 ? "integer" : "string";
            properties.append("  ").append(WORDS[random.nextInt(WORDS.length)]).append('_')
                    .append(WORDS[random.nextInt(WORDS.length)]).append('_').append(random.nextInt(1000))
                    .append(":\n    type: ").append(type).append("\n    description: ").append(sentence())
                    .append('\n');
        }

        private String sentence() {
            StringBuilder s = new StringBuilder("The");
            for (int i = 0, words = 4 + random.nextInt(10); i < words; i++) {
                s.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
            }
            return s.append('.').toString();
        }
    }
}

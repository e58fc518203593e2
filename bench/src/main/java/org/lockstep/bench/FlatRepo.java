package org.lockstep.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The first benchmark's repository (kept so its figures stay comparable): {@code n} files of 0.2 to 32 KiB (mostly
 * small) in nested directories of about ten files each, every 25th executable, plus 5 relative symlinks; c1, then
 * c2 appending a line to one file.
 */
final class FlatRepo {

    private static final int SYMLINKS = 5;

    private static final String[] WORDS = {"type", "object", "string", "integer", "properties", "required",
        "description", "event", "schema", "title", "items", "array", "format", "date-time", "meta", "id",
        "stream", "name", "value", "default"};

    private FlatRepo() {
    }

    static Repo generate(Path base, int n) {
        Random random = new Random(n);
        Path remote = base.resolve("remote.git");
        RepoWriter commits = new RepoWriter(remote);
        String changedText = null;
        List<String> names = new ArrayList<>();
        Set<String> dirs = new HashSet<>();
        long bytes = 0;
        int executables = 0;
        for (int i = 0; i < n; i++) {
            String dir = dirOf(i / 10);
            addDirs(dirs, dir);
            boolean exec = i % 25 == 12;
            String name = dir + "/" + (exec ? String.format("run-%04d.sh", i) : String.format("item-%04d.json", i));
            int roll = random.nextInt(10);
            int size = roll < 6 ? 200 + random.nextInt(1800) : roll < 9 ? 2048 + random.nextInt(6144)
                    : 8192 + random.nextInt(24576);
            String text = text(random, size, exec);
            if (exec) {
                commits.executable(name, text);
            }
            else {
                commits.file(name, text);
            }
            if (i == n / 2) {
                changedText = text;
            }
            executables += exec ? 1 : 0;
            bytes += size;
            names.add(name);
        }
        for (int k = 0; k < SYMLINKS; k++) {
            String target = names.get(k * (n / SYMLINKS) + 1);
            int slash = target.lastIndexOf('/');
            commits.symlink(target.substring(0, slash) + "/latest-" + k + ".json", target.substring(slash + 1));
        }
        String changed = names.get(n / 2);
        commits.commit("c1").file(changed, changedText + "\n{\"changed\": true}\n").commit("c2");
        String[] ids;
        try (commits) {
            ids = commits.done();
        }
        return new Repo("flat", remote, ids, n, executables, SYMLINKS, dirs.size(), bytes);
    }

    /** Directory number {@code d} as its digits in base 6: d3, d1/d4, d2/d0/d5, ... (1 to 3 levels for n ≤ 2000). */
    private static String dirOf(int d) {
        String digits = Integer.toString(d, 6);
        StringBuilder path = new StringBuilder("d" + digits.charAt(0));
        for (int i = 1; i < digits.length(); i++) {
            path.append("/d").append(digits.charAt(i));
        }
        return path.toString();
    }

    private static void addDirs(Set<String> dirs, String leaf) {
        for (int slash = leaf.indexOf('/'); slash > 0; slash = leaf.indexOf('/', slash + 1)) {
            dirs.add(leaf.substring(0, slash));
        }
        dirs.add(leaf);
    }

    private static String text(Random random, int size, boolean exec) {
        StringBuilder s = new StringBuilder(size + 32);
        s.append(exec ? "#!/bin/sh\n" : "{\n");
        while (s.length() < size) {
            s.append("  \"").append(WORDS[random.nextInt(WORDS.length)]).append("\": \"")
                    .append(WORDS[random.nextInt(WORDS.length)]).append(' ').append(random.nextInt(100000))
                    .append("\",\n");
        }
        s.setLength(size - 2);
        s.append(exec ? "\n\n" : "\n}");
        return s.toString();
    }
}

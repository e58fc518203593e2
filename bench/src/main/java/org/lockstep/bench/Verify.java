package org.lockstep.bench;

import java.nio.file.Path;

/** A fast wrong answer does not count: every release the agent made must be what {@code git archive} gives. */
final class Verify {

    private Verify() {
    }

    /**
     * Same entries, bytes and symlink targets ({@code diff -r --no-dereference}), the same executables, and the
     * same kind of every entry (a file where git has a file, a symlink where git has a symlink).
     */
    static void sameAsArchive(Path release, Path archive, int executables) {
        Shell.run(release.getParent(), "diff", "-r", "--no-dereference", release.toString(), archive.toString());
        Shell.run(release.getParent(), "sh", "-c", "test \"$(find \"$1\" -type f -perm -u+x | wc -l)\" = \"$2\"",
                "sh", release.toString(), Integer.toString(executables));
        // git archive's tar has 0664/0775 (tar.umask 002), so only the kind and the exec bit are git's to compare.
        String listing = "cd \"$1\" && { find . -printf '%y %p\\n'; find . -type f -perm -u+x -printf 'x %p\\n'; }"
                + " | sort";
        String ours = Shell.run(release.getParent(), "sh", "-c", listing, "sh", release.toString());
        String theirs = Shell.run(archive.getParent(), "sh", "-c", listing, "sh", archive.toString());
        if (!ours.equals(theirs)) {
            throw new IllegalStateException("the release at " + release + " differs from git archive's at " + archive
                    + " in the kind or exec bit of an entry");
        }
    }
}

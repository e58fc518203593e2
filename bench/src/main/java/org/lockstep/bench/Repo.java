package org.lockstep.bench;

import java.nio.file.Path;

/**
 * A generated repository, served from a bare repository packed into one pack as a server keeps it.
 *
 * @param shape       {@code flat} or {@code schemas}
 * @param remote      the bare repository both sides fetch from ({@code file://})
 * @param commits     the commits in order: c1, c2 (one file changed), and for {@code schemas} c3 (one schema bumped)
 * @param files       regular and executable files in c1
 * @param executables executable files in c1
 * @param symlinks    symlinks in c1
 * @param dirs        directories in c1, not counting the root
 * @param bytes       bytes of file content in c1
 */
record Repo(String shape, Path remote, String[] commits, int files, int executables, int symlinks, int dirs,
            long bytes) {

    String url() {
        return remote.toUri().toString();
    }

    String c1() {
        return commits[0];
    }

    String c2() {
        return commits[1];
    }

    String last() {
        return commits[commits.length - 1];
    }
}

package org.lockstep.agent.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.lockstep.agent.git.GitMirror;
import org.lockstep.agent.git.TreeExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@code releases/<commit>}: export into {@code releases/.tmp-<commit>-*}, run the verify command there,
 * then rename into place. The rename is the commit point: a directory named after a commit is always complete
 * and verified, so its existence alone means "prepared", and a crash at any earlier moment leaves only a temp
 * directory that the next start removes.
 */
public final class ReleaseBuilder {

    private static final Logger log = LoggerFactory.getLogger(ReleaseBuilder.class);

    private final Duration verifyTimeout;

    public ReleaseBuilder(Duration verifyTimeout) {
        this.verifyTimeout = verifyTimeout;
    }

    /**
     * Builds the release of {@code commit} unless it exists.
     *
     * @param verifyCommand shell command to run in the release, or {@code null}
     * @param progress      told after every file written
     * @return the release directory
     */
    public Path build(RepoLayout layout, GitMirror mirror, String commit, String verifyCommand,
                      TreeExporter.Progress progress) throws IOException {
        Path release = layout.release(commit);
        if (Files.isDirectory(release)) {
            return release;
        }
        Files.createDirectories(layout.releases());
        Path temp = Files.createTempDirectory(layout.releases(), Releases.TEMP_PREFIX + commit + "-");
        try {
            // createTempDirectory makes 0700; the web server must be able to read the release.
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            TreeExporter.Stats stats = TreeExporter.export(mirror, commit, temp,
                    Releases.newest(layout, commit).orElse(null), progress);
            if (verifyCommand != null && !verifyCommand.isBlank()) {
                VerifyCommand.run(verifyCommand, temp, layout.root(), verifyTimeout, layout.repo(), commit);
            }
            Files.move(temp, release, StandardCopyOption.ATOMIC_MOVE);
            Links.syncDirectory(layout.releases());
            log.info("event=release-built repo={} commit={} files={} hardlinked={} symlinks={}", layout.repo(),
                    commit, stats.files(), stats.linked(), stats.symlinks());
            return release;
        }
        finally {
            if (Files.exists(temp)) {
                Releases.deleteTree(temp);
            }
        }
    }
}

package org.lockstep.agent.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;

import org.lockstep.agent.git.GitMirror;
import org.lockstep.agent.git.TreeExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@code releases/<commit>}: export into {@code releases/.tmp-<commit>-*}, run the verify command there,
 * mark it as the agent's ({@link Markers}), sync the file system, then rename into place and sync the directory.
 * The rename is the commit point: a marked directory named after a commit is complete, verified and on disk, so
 * it alone means "prepared"; a crash (or power cut) at any earlier moment leaves only a temp directory that the
 * next start removes.
 */
public final class ReleaseBuilder {

    private static final Logger log = LoggerFactory.getLogger(ReleaseBuilder.class);

    private final Duration verifyTimeout;

    public ReleaseBuilder(Duration verifyTimeout) {
        this.verifyTimeout = verifyTimeout;
    }

    /**
     * Builds the release of {@code commit} unless a complete one exists.
     *
     * @param verifyCommand shell command to run in the release, or {@code null}
     * @param progress      told after every file written
     * @return the release directory
     */
    public Path build(RepoLayout layout, GitMirror mirror, String commit, String verifyCommand,
                      TreeExporter.Progress progress) throws IOException {
        Path release = layout.release(commit);
        if (Releases.isComplete(layout, commit)) {
            return release;
        }
        long started = System.nanoTime();
        Markers.ensureMarked(layout);
        Path temp = Files.createTempDirectory(layout.releases(), Releases.TEMP_PREFIX + commit + "-");
        try {
            // createTempDirectory makes 0700; the web server must be able to read the release.
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            TreeExporter.Stats stats = TreeExporter.export(mirror, commit, temp,
                    Releases.newest(layout, commit).orElse(null), progress);
            if (verifyCommand != null && !verifyCommand.isBlank()) {
                VerifyCommand.run(verifyCommand, temp, layout.root(), verifyTimeout, layout.repo(), commit);
            }
            Markers.mark(layout, commit, temp);
            long exported = System.nanoTime();
            // Contents and marker on disk before the rename makes the release count, so a power cut never leaves a
            // release that counts with empty files.
            FileSystemSync.sync(temp);
            long synced = System.nanoTime();
            // Whatever sits at the commit's name is not a complete release of ours (a planted symlink, a directory
            // without a marker): out of the way right before ours is renamed in, and deleted after.
            Path replaced = null;
            if (Files.isDirectory(release, LinkOption.NOFOLLOW_LINKS)) {
                replaced = layout.releases().resolve(Releases.TEMP_PREFIX + commit + "-replaced-" + UUID.randomUUID());
                Files.move(release, replaced, StandardCopyOption.ATOMIC_MOVE);
            }
            else {
                Files.deleteIfExists(release);
            }
            Files.move(temp, release, StandardCopyOption.ATOMIC_MOVE);
            Links.syncDirectory(layout.releases());
            if (replaced != null) {
                log.warn("event=release-replaced repo={} commit={} hint=\"a directory without the agent's marker was"
                        + " there\"", layout.repo(), commit);
                Releases.deleteTree(replaced);
            }
            log.info("event=release-built repo={} commit={} files={} symlinks={} dirs={} fromPrevious={} shared={}"
                    + " written={} exportMs={} syncMs={}", layout.repo(), commit, stats.files(), stats.symlinks(),
                    stats.dirs(), stats.fromPrevious(), stats.shared(), stats.written(),
                    (exported - started) / 1_000_000, (synced - exported) / 1_000_000);
            return release;
        }
        finally {
            if (Files.exists(temp)) {
                Releases.deleteTree(temp);
            }
        }
    }
}

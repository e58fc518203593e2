package org.lockstep.agent.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.agent.support.Samples;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.Trees;

class TreeExporterIntegrationTests {

    @TempDir
    Path tmp;

    GitRepo origin;

    @BeforeEach
    void origin() {
        origin = GitRepo.init(tmp.resolve("origin"));
    }

    @Test
    void exportEqualsGitArchiveByteForByteWithModesAndSymlinks() throws Exception {
        String commit = Samples.schemas(origin)
                .write("nested/deep/dir/data.json", "[1, 2, 3]\n")
                .symlink("nested/up.json", "../README.md")
                .symlink("dirlink", "nested/deep")
                .write("bin/binary.dat", "\u0000\u0001\u00ff binary\r\n")
                .commit("content");
        Path release = Files.createDirectory(tmp.resolve("release"));
        try (GitMirror mirror = mirror()) {
            mirror.fetch(commit, "main", () -> { });
            TreeExporter.Stats stats = TreeExporter.export(mirror, commit, release, null, (done, total) -> { });
            assertThat(stats.symlinks()).isEqualTo(8);
        }
        Path archive = origin.archive(commit, tmp.resolve("archive"));
        Trees.assertSameTree(archive, release);
        assertThat(Trees.describe(release)).containsEntry("bin/check.sh", Trees.describe(archive).get("bin/check.sh"))
                .containsEntry("dirlink", "link -> nested/deep");
        assertThat(Trees.describe(release).get("bin/check.sh")).startsWith("exec ");
    }

    @Test
    void unchangedFilesAreHardLinkedFromThePreviousRelease() throws Exception {
        String first = Samples.schemas(origin).commit("first");
        String second = origin.write("jsonschema/event1/1.0.0.json", "{\"title\": \"changed\"}\n").commit("second");
        Path one = Files.createDirectory(tmp.resolve("one"));
        Path two = Files.createDirectory(tmp.resolve("two"));
        try (GitMirror mirror = mirror()) {
            mirror.fetch(second, "main", () -> { });
            TreeExporter.export(mirror, first, one, null, (done, total) -> { });
            TreeExporter.Stats stats = TreeExporter.export(mirror, second, two, new TreeExporter.Previous(one, first),
                    (done, total) -> { });
            assertThat(stats.files()).isEqualTo(8);
            assertThat(stats.symlinks()).isEqualTo(6);
            assertThat(stats.fromPrevious()).as("7 files and 6 symlinks unchanged").isEqualTo(13);
            assertThat(stats.written()).isEqualTo(1);
        }
        assertThat(Files.isSameFile(one.resolve("README.md"), two.resolve("README.md"))).isTrue();
        assertThat(Files.isSameFile(one.resolve("jsonschema/event1/1.0.0.json"),
                two.resolve("jsonschema/event1/1.0.0.json"))).isFalse();
        assertThat(Files.readString(two.resolve("jsonschema/event1/1.0.0.json"))).contains("changed");
        Trees.assertSameTree(origin.archive(second, tmp.resolve("archive")), two);
    }

    @Test
    void anAbsoluteSymlinkIsRefused() {
        assertRefused(Samples.schemas(origin).symlink("passwd", "/etc/passwd").commit("absolute"), UnsafeSymlink.class,
                "passwd -> /etc/passwd");
    }

    @Test
    void aSymlinkClimbingOutOfTheReleaseIsRefused() {
        assertRefused(Samples.schemas(origin).symlink("jsonschema/out", "../../../etc").commit("climbs"),
                UnsafeSymlink.class, "climbs out of the release");
    }

    @Test
    void aSymlinkEscapingThroughAnotherSymlinkIsRefused() {
        // Textually "d/../x" stays inside; through d -> . it resolves to ../x, outside the release.
        assertRefused(Samples.schemas(origin).symlink("sub/d", ".").symlink("sub/e", "d/../../x").commit("sneaky"),
                UnsafeSymlink.class, "sub/e");
    }

    @Test
    void aSubmoduleIsRefused() {
        GitRepo library = GitRepo.init(tmp.resolve("library"));
        String libraryCommit = library.write("lib.txt", "x\n").commit("lib");
        // A gitlink entry as `git submodule add` makes it, with no checkout of the library behind it.
        String commit = Samples.schemas(origin).gitlink("vendor/lib", libraryCommit).commit("with submodule");
        assertRefused(commit, SubmoduleNotSupported.class, "vendor/lib");
    }

    private void assertRefused(String commit, Class<? extends GitFailure> failure, String message) {
        Path release = tmp.resolve("release");
        try (GitMirror mirror = mirror()) {
            mirror.fetch(commit, "main", () -> { });
            Files.createDirectory(release);
            assertThatThrownBy(() -> TreeExporter.export(mirror, commit, release, null, (done, total) -> { }))
                    .isInstanceOf(failure).hasMessageContaining(message)
                    .satisfies(e -> assertThat(((GitFailure) e).permanent()).isTrue());
            try (var written = Files.list(release)) {
                assertThat(written).as("nothing written before the check").isEmpty();
            }
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private GitMirror mirror() {
        return GitMirror.open(tmp.resolve("mirror.git"), origin.url(), Duration.ofSeconds(20));
    }
}

package org.lockstep.agent.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.Processes;
import org.lockstep.testing.Trees;

/**
 * Trees git's porcelain never writes but a pusher can: the exporter refuses them before writing anything, and
 * above all never writes through a link into a release that is being served.
 */
class HostileTreeIntegrationTests {

    @TempDir
    Path tmp;

    GitRepo origin;

    @BeforeEach
    void origin() {
        origin = GitRepo.init(tmp.resolve("origin"));
    }

    @Test
    void aDuplicateNameNeverWritesThroughTheLinkSharedWithTheServedRelease() throws IOException {
        String live = origin.commitTree("live", tree -> tree.file("a.yaml", "live\n"));
        // a.yaml unchanged (hard-linked from the served release), then x -> a.yaml, then a file x over it.
        String hostile = origin.commitTree("hostile", tree -> tree.file("a.yaml", "live\n")
                .symlink("x", "a.yaml").file("x", "evil\n"));
        Path served = Files.createDirectory(tmp.resolve("served"));
        Path next = Files.createDirectory(tmp.resolve("next"));
        try (GitMirror mirror = mirror()) {
            mirror.fetch(hostile, "main", () -> { });
            TreeExporter.export(mirror, live, served, null, (done, total) -> { });

            assertThatThrownBy(() -> TreeExporter.export(mirror, hostile, next,
                    new TreeExporter.Previous(served, live), (done, total) -> { }))
                    .isInstanceOf(MalformedTree.class).hasMessageContaining("duplicate")
                    .satisfies(e -> assertThat(((GitFailure) e).permanent()).isTrue());
        }
        assertThat(Files.readString(served.resolve("a.yaml"))).isEqualTo("live\n");
        assertThat(next).isEmptyDirectory();
    }

    @Test
    void aFileAndADirectoryOfTheSameNameAreRefused() {
        assertRefused(origin.commitTree("file and dir", tree -> tree.file("x", "file\n")
                .tree("x", dir -> dir.file("inner.yaml", "dir\n"))), "duplicate");
    }

    @ParameterizedTest
    @ValueSource(strings = {".git", ".GIT", ".Git", "git~1", ".git.", ".git ", ".g\u200cit", "\ufeff.git"})
    void aDotGitDirectoryInAnySpellingIsRefused(String name) {
        String commit = origin.commitTree("dot git", tree -> tree.file("README.md", "hi\n")
                .tree("schemas", schemas -> schemas.tree(name, git -> git.file("config",
                        "[core]\n\tfsmonitor = touch /tmp/pwned\n"))));
        assertRefused(commit, "schemas/");
    }

    @Test
    void aDotGitFileAtTheTopIsRefused() {
        assertRefused(origin.commitTree("dot git file", tree -> tree.file(".git", "gitdir: /etc\n")), ".git");
    }

    @Test
    void aNameThatIsNotUtf8IsRefusedNamingItsBytes() {
        String commit = origin.commitTree("not utf-8", tree -> tree.tree("schemas", schemas -> schemas.file(
                new byte[] {'b', (byte) 0xff, 'd', '.', 'y', 'a', 'm', 'l'}, "x\n".getBytes(StandardCharsets.UTF_8))));
        Path release = tmp.resolve("release");
        try (GitMirror mirror = mirror()) {
            mirror.fetch(commit, "main", () -> { });
            Files.createDirectory(release);
            assertThatThrownBy(() -> TreeExporter.export(mirror, commit, release, null, (done, total) -> { }))
                    .isInstanceOf(UnsafePath.class).hasMessageContaining("schemas/b\\xffd.yaml")
                    .hasMessageContaining("UTF-8")
                    .satisfies(e -> assertThat(((GitFailure) e).permanent()).isTrue());
            assertThat(release).isEmptyDirectory();
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void utf8NamesAreWrittenWithExactlyTheBytesOfGitArchive() throws IOException {
        String commit = origin.write("schémas/größe.yaml", "a\n").write("schémas/日本語.yaml", "b\n")
                .symlink("schémas/último", "größe.yaml").commit("utf-8 names");
        Path release = Files.createDirectory(tmp.resolve("release"));
        try (GitMirror mirror = mirror()) {
            mirror.fetch(commit, "main", () -> { });
            TreeExporter.export(mirror, commit, release, null, (done, total) -> { });
        }
        Path archive = origin.archive(commit, tmp.resolve("archive"));
        assertThat(rawNames(release)).isEqualTo(rawNames(archive));
        Trees.assertSameTree(archive, release);
        assertThat(Trees.describe(release)).containsKey("schémas/größe.yaml");
    }

    private void assertRefused(String commit, String message) {
        Path release = tmp.resolve("release");
        try (GitMirror mirror = mirror()) {
            mirror.fetch(commit, "main", () -> { });
            Files.createDirectory(release);
            assertThatThrownBy(() -> TreeExporter.export(mirror, commit, release, null, (done, total) -> { }))
                    .isInstanceOf(MalformedTree.class).hasMessageContaining(message)
                    .hasMessageContaining(commit)
                    .satisfies(e -> assertThat(((GitFailure) e).permanent()).isTrue());
            assertThat(release).as("nothing written before the refusal").isEmptyDirectory();
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every name under {@code root} as the bytes on disk (hex), sorted: equal only if the bytes are equal. */
    private static String rawNames(Path root) {
        return Processes.stdout(root, "sh", "-c", "find . -print0 | LC_ALL=C sort -z | od -An -v -tx1");
    }

    private GitMirror mirror() {
        return GitMirror.open(tmp.resolve("mirror.git"), origin.url(), Duration.ofSeconds(20));
    }
}

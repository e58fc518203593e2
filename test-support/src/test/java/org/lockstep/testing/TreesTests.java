package org.lockstep.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreesTests {

    @TempDir
    Path tmp;

    @Test
    void aReleaseEqualsTheArchiveOfItsCommitAndAFollowedLinkRootCounts() throws Exception {
        GitRepo repo = GitRepo.init(tmp.resolve("repo"));
        String commit = repo.write("a/b.json", "{}\n").executable("run", "#!/bin/sh\n").symlink("l", "a/b.json")
                .commit("c");
        Path archive = repo.archive(commit, tmp.resolve("archive"));
        Path copy = repo.archive(commit, tmp.resolve("copy"));
        Files.createSymbolicLink(tmp.resolve("current"), copy);

        Trees.assertSameTree(archive, tmp.resolve("current"));
        assertThat(Trees.describe(archive)).containsOnlyKeys("a", "a/b.json", "run", "l")
                .containsEntry("a", "dir").containsEntry("l", "link -> a/b.json");
    }

    @Test
    void theDiffNamesEveryMissingExtraAndChangedEntry() throws Exception {
        Path expected = Files.createDirectories(tmp.resolve("expected"));
        Path actual = Files.createDirectories(tmp.resolve("actual"));
        Files.writeString(expected.resolve("text"), "one\ntwo\n");
        Files.writeString(actual.resolve("text"), "one\nTWO\n");
        Files.writeString(expected.resolve("run"), "x");
        Files.writeString(actual.resolve("run"), "x");
        Files.setPosixFilePermissions(expected.resolve("run"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(expected.resolve("link"), Path.of("text"));
        Files.createSymbolicLink(actual.resolve("link"), Path.of("run"));
        Files.writeString(expected.resolve("missing"), "m");
        Files.writeString(actual.resolve(".tmp-extra"), "e");

        assertThatThrownBy(() -> Trees.assertSameTree(expected, actual)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("in 5 entries")
                .hasMessageContaining("extra   .tmp-extra")
                .hasMessageContaining("changed link  expected link -> text, actual link -> run")
                .hasMessageContaining("missing missing")
                .hasMessageContaining("changed run  expected exec 1 sha256:")
                .hasMessageContaining("actual file 1 sha256:")
                .hasMessageContaining("line 2: expected \"two\", actual \"TWO\"");
    }

    @Test
    void anEmptyReferenceProvesNothingAndFails() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> Trees.assertSameTree(empty, empty)).hasMessageContaining("is empty");
    }
}

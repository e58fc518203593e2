package org.lockstep.manifest.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.rollout.machine.Command.Ancestry;
import org.lockstep.testing.GitRepo;
import org.springframework.util.unit.DataSize;

/** The manifest's mirror against real repositories served over {@code file://}. */
class BranchMirrorIntegrationTests {

    @TempDir
    Path temp;

    private GitRepo upstream;

    private BranchMirror mirror;

    @BeforeEach
    void repositories() throws IOException {
        upstream = GitRepo.init(temp.resolve("upstream"));
        mirror = new BranchMirror(temp.resolve("mirror.git"), upstream.url(), "main", Duration.ofSeconds(10));
    }

    @AfterEach
    void close() {
        mirror.close();
        upstream.close();
    }

    /** What kill -9 in a fetch leaves behind: the branch's lock file, and JGit's automatic gc's. */
    @Test
    void lockFilesLeftByAKilledFetchAreRemovedWhenTheMirrorIsOpenedAgain() throws IOException {
        upstream.commit("one");
        mirror.fetch();
        mirror.close();
        Path mirrorDir = temp.resolve("mirror.git");
        Files.writeString(mirrorDir.resolve("refs/heads/main.lock"), "");
        Files.writeString(mirrorDir.resolve("gc.log.lock"), "");
        String two = upstream.commit("two");

        mirror = new BranchMirror(mirrorDir, upstream.url(), "main", Duration.ofSeconds(10));

        assertThat(mirror.onBranch(two)).as("the branch moves again").isTrue();
        assertThat(mirrorDir.resolve("refs/heads/main.lock")).doesNotExist();
        assertThat(mirrorDir.resolve("gc.log.lock")).doesNotExist();
    }

    @Test
    void aFetchThatCannotMoveTheBranchFailsInsteadOfAnsweringFromTheOldTip() throws IOException {
        upstream.commit("one");
        mirror.fetch();
        Files.writeString(temp.resolve("mirror.git/refs/heads/main.lock"), "");
        String two = upstream.commit("two");

        assertThatThrownBy(() -> mirror.onBranch(two)).isInstanceOf(RemoteUnreachable.class)
                .hasMessageContaining("refs/heads/main").hasMessageContaining("LOCK_FAILURE");
    }

    /** JGit's automatic gc after a fetch holds ref locks: in the background, the next fetch would fail on them. */
    @Test
    void jgitsAutomaticGcRunsInsideTheFetchNotBesideIt() throws IOException {
        try (Git git = Git.open(temp.resolve("mirror.git").toFile())) {
            assertThat(git.getRepository().getConfig().getBoolean("gc", null, "autoDetach", true)).isFalse();
        }
    }

    @Test
    void fetchReturnsTheBranchTip() {
        upstream.commit("one");
        String two = upstream.commit("two");

        assertThat(mirror.fetch()).isEqualTo(two);
    }

    @Test
    void commitsOfTheBranchAreOnItAndOthersAreNot() {
        String one = upstream.commit("one");
        String side = upstream.commitOn("feature", "unmerged");
        String two = upstream.commit("two");
        mirror.fetch();

        assertThat(mirror.isOnBranch(one)).isTrue();
        assertThat(mirror.isOnBranch(two)).isTrue();
        assertThat(mirror.isOnBranch(side)).isFalse();
        assertThat(mirror.isOnBranch("0123456789abcdef0123456789abcdef01234567")).isFalse();
    }

    @Test
    void commitAfterTheLastFetchIsNotOnTheBranchUntilFetched() {
        upstream.commit("one");
        mirror.fetch();
        String later = upstream.commit("later");

        assertThat(mirror.isOnBranch(later)).isFalse();
        mirror.fetch();
        assertThat(mirror.isOnBranch(later)).isTrue();
    }

    @Test
    void aCommitOnTheBranchAsLastFetchedIsAnsweredWithoutFetching() throws IOException {
        String one = upstream.commit("one");
        String two = upstream.commit("two");
        mirror.fetch();
        Path away = temp.resolve("upstream-away");
        Files.move(upstream.dir(), away);
        try {
            assertThat(mirror.onBranch(two)).isTrue();
            assertThat(mirror.onBranch(one)).isTrue();
            assertThatThrownBy(() -> mirror.onBranch("0123456789abcdef0123456789abcdef01234567"))
                    .as("an unknown commit needs the remote").isInstanceOf(RemoteUnreachable.class);
        }
        finally {
            Files.move(away, upstream.dir());
        }
    }

    @Test
    void aCommitAfterTheLastFetchIsFetchedOnce() {
        upstream.commit("one");
        mirror.fetch();
        String later = upstream.commit("later");
        String side = upstream.commitOn("feature", "unmerged");

        assertThat(mirror.onBranch(later)).isTrue();
        assertThat(mirror.onBranch(side)).as("fetched, and still not on the branch").isFalse();
    }

    @Test
    void aKnownCommitOffTheBranchAsLastFetchedIsCheckedAgainAfterAFetch() throws Exception {
        String one = upstream.commit("one");
        String two = upstream.commit("two");
        try (Git git = Git.open(upstream.dir().toFile())) {
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(one).call();
            mirror.fetch();
            assertThat(mirror.isOnBranch(two)).as("force-pushed away, as last fetched").isFalse();
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(two).call();
        }

        assertThat(mirror.onBranch(two)).as("back on the branch at the remote").isTrue();
    }

    @Test
    void ancestryTellsForwardFromBack() {
        String one = upstream.commit("one");
        String two = upstream.commit("two");
        mirror.fetch();

        assertThat(mirror.ancestry(two, null)).isEqualTo(Ancestry.NO_ACTIVE);
        assertThat(mirror.ancestry(two, two)).isEqualTo(Ancestry.SAME);
        assertThat(mirror.ancestry(two, one)).isEqualTo(Ancestry.DESCENDANT);
        assertThat(mirror.ancestry(one, two)).isEqualTo(Ancestry.NOT_DESCENDANT);
        assertThat(mirror.ancestry(two, "0123456789abcdef0123456789abcdef01234567"))
                .isEqualTo(Ancestry.NOT_DESCENDANT);
    }

    @Test
    void missingRemoteIsUnreachable() throws IOException {
        try (BranchMirror nowhere = new BranchMirror(temp.resolve("nowhere.git"),
                temp.resolve("no-such-repo").toUri().toString(), "main", Duration.ofSeconds(5))) {
            assertThatThrownBy(nowhere::fetch).isInstanceOf(RemoteUnreachable.class);
        }
    }

    @Test
    void missingBranchIsUnreachable() throws IOException {
        upstream.commit("one");
        try (BranchMirror release = new BranchMirror(temp.resolve("release.git"), upstream.url(), "release",
                Duration.ofSeconds(5))) {
            assertThatThrownBy(release::fetch).isInstanceOf(RemoteUnreachable.class).hasMessageContaining("release");
        }
    }

    @Test
    void reopenedMirrorKeepsWhatWasFetched() throws IOException {
        String one = upstream.commit("one");
        mirror.fetch();
        mirror.close();

        mirror = new BranchMirror(temp.resolve("mirror.git"), upstream.url(), "main", Duration.ofSeconds(10));

        assertThat(mirror.isOnBranch(one)).isTrue();
        assertThat(mirror.describe(one)).hasValueSatisfying(info -> assertThat(info.subject()).isEqualTo("one"));
    }

    @Test
    void mirrorsLiveUnderDataDirAndOnlyForConfiguredNames() {
        upstream.commit("one");
        ManifestProperties properties = new ManifestProperties(ManifestProperties.StoreKind.embedded,
                temp.resolve("data"), new ManifestProperties.Etcd(List.of(), "/lockstep/", Duration.ofSeconds(5),
                        new ManifestProperties.Tls(null, null, null, null), null, null),
                Map.of("primary", new ManifestProperties.Repo(upstream.url(), "main", List.of("h1"), null, null, null,
                        null)),
                List.of(), new ManifestProperties.Hooks(new ManifestProperties.Hook(null),
                        new ManifestProperties.Hook(null)),
                Duration.ofSeconds(30), Duration.ofSeconds(10), DataSize.ofKilobytes(64));
        try (GitMirrors mirrors = new GitMirrors(properties)) {
            mirrors.mirror("primary").fetch();

            assertThat(Files.isDirectory(temp.resolve("data/mirrors/primary.git"))).isTrue();
            assertThatThrownBy(() -> mirrors.mirror("..")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> mirrors.mirror("secondary")).isInstanceOf(IllegalArgumentException.class);
            assertThat(temp.resolve("data/mirrors").toFile().list()).containsExactly("primary.git");
        }
    }
}

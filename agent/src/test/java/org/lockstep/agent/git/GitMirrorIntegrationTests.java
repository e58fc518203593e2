package org.lockstep.agent.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.agent.support.Samples;
import org.lockstep.testing.GitDaemon;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.Processes;

class GitMirrorIntegrationTests {

    @TempDir
    Path tmp;

    GitRepo origin;

    String first;

    String second;

    String third;

    @BeforeEach
    void originWithThreeCommits() {
        origin = GitRepo.init(tmp.resolve("served/schemas.git-work"));
        Samples.History history = Samples.history(origin);
        first = history.first();
        second = history.second();
        third = history.third();
        // Served as a bare clone, as a real git server would have it.
        origin.cloneBare(tmp.resolve("served/schemas.git"));
    }

    /** JGit's automatic gc after a fetch holds ref locks: in the background, a pin made meanwhile would fail. */
    @Test
    void jgitsAutomaticGcRunsInsideTheFetchNotBesideIt() {
        try (GitMirror mirror = GitMirror.open(tmp.resolve("mirror.git"), "file:///nowhere", Duration.ofSeconds(5))) {
            assertThat(mirror.repository().getConfig().getBoolean("gc", null, "autoDetach", true)).isFalse();
        }
    }

    @Test
    void fetchesAnOlderCommitByIdWhenTheServerAllowsIt() throws Exception {
        try (GitDaemon daemon = daemon(true); GitMirror mirror = mirrorOf(daemon)) {
            forceProtocolV0(mirror);
            FetchOutcome outcome = mirror.fetch(second, "main", () -> { });
            assertThat(outcome.how()).isEqualTo(FetchOutcome.How.BY_ID);
            assertThat(outcome.bytes()).isPositive();
            assertThat(mirror.has(second)).isTrue();
            // By id means exactly that commit's history, not the branch tip.
            assertThat(mirror.has(third)).isFalse();
        }
    }

    @Test
    void fallsBackToTheBranchWhenTheServerRefusesUnadvertisedIds() throws Exception {
        try (GitDaemon daemon = daemon(false); GitMirror mirror = mirrorOf(daemon)) {
            // Protocol v2 lets any reachable id through regardless of the setting; v0 is where servers refuse.
            forceProtocolV0(mirror);
            FetchOutcome outcome = mirror.fetch(second, "main", () -> { });
            assertThat(outcome.how()).isEqualTo(FetchOutcome.How.BRANCH_FALLBACK);
            assertThat(mirror.has(second)).isTrue();
            assertThat(mirror.has(third)).isTrue();
        }
    }

    @Test
    void fetchesTheBranchTipByIdEvenWithoutReachableShaWants() throws Exception {
        try (GitDaemon daemon = daemon(false); GitMirror mirror = mirrorOf(daemon)) {
            forceProtocolV0(mirror);
            assertThat(mirror.fetch(third, "main", () -> { }).how()).isEqualTo(FetchOutcome.How.BY_ID);
        }
    }

    @Test
    void protocolVersionTwoFetchesByIdEvenWhenTheServerRefusesUnadvertisedIdsInVersionZero() throws Exception {
        try (GitDaemon daemon = daemon(false); GitMirror mirror = mirrorOf(daemon)) {
            StoredConfig config = mirror.repository().getConfig();
            config.setString("protocol", null, "version", "2");
            config.save();
            assertThat(mirror.fetch(second, "main", () -> { }).how()).isEqualTo(FetchOutcome.How.BY_ID);
            assertThat(mirror.has(third)).isFalse();
        }
    }

    @Test
    void fetchesFromAFileRemote() {
        try (GitMirror mirror = GitMirror.open(tmp.resolve("mirror.git"), tmp.resolve("served/schemas.git").toUri()
                .toString(), Duration.ofSeconds(20))) {
            assertThat(mirror.fetch(first, "main", () -> { }).how()).isNotEqualTo(FetchOutcome.How.ALREADY_PRESENT);
            assertThat(mirror.has(first)).isTrue();
            assertThat(mirror.fetch(first, "main", () -> { }).how()).isEqualTo(FetchOutcome.How.ALREADY_PRESENT);
        }
    }

    @Test
    void pinnedCommitsSurviveGarbageCollection() {
        try (GitMirror mirror = GitMirror.open(tmp.resolve("mirror.git"), tmp.resolve("served/schemas.git").toUri()
                .toString(), Duration.ofSeconds(20))) {
            mirror.fetch(second, "main", () -> { });
            mirror.pin(second);
            assertThat(mirror.pins()).containsExactly(second);
        }
        Processes.run(tmp, "git", "-C", tmp.resolve("mirror.git").toString(), "update-ref", "-d",
                "refs/heads/main");
        Processes.run(tmp, "git", "-C", tmp.resolve("mirror.git").toString(), "reflog", "expire",
                "--expire=now", "--all");
        Processes.run(tmp, "git", "-C", tmp.resolve("mirror.git").toString(), "gc", "-q", "--prune=now");
        try (GitMirror mirror = GitMirror.open(tmp.resolve("mirror.git"), "file:///nowhere", Duration.ofSeconds(5))) {
            assertThat(mirror.has(second)).isTrue();
            mirror.unpin(second);
            assertThat(mirror.pins()).isEmpty();
        }
    }

    @Test
    void anUnreachableRemoteIsReportedAsSuch() throws Exception {
        try (GitMirror mirror = GitMirror.open(tmp.resolve("mirror.git"), "git://127.0.0.1:1/schemas.git",
                Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> mirror.fetch(first, "main", () -> { }))
                    .isInstanceOf(RemoteUnreachable.class).hasMessageContaining("127.0.0.1:1");
        }
    }

    @Test
    void aCommitTheRemoteDoesNotHaveIsNotFound() {
        String unknown = "0123456789abcdef0123456789abcdef01234567";
        try (GitMirror mirror = GitMirror.open(tmp.resolve("mirror.git"), tmp.resolve("served/schemas.git").toUri()
                .toString(), Duration.ofSeconds(20))) {
            assertThatThrownBy(() -> mirror.fetch(unknown, "main", () -> { }))
                    .isInstanceOf(CommitNotFound.class).hasMessageContaining(unknown);
        }
    }

    @Test
    void aMirrorLeftHalfMadeOrLockedByAKillIsRepaired() throws Exception {
        Path dir = tmp.resolve("mirror.git");
        java.nio.file.Files.createDirectories(dir.resolve("objects"));
        try (GitMirror mirror = GitMirror.open(dir, tmp.resolve("served/schemas.git").toUri().toString(),
                Duration.ofSeconds(20))) {
            mirror.fetch(first, "main", () -> { });
            mirror.pin(first);
        }
        java.nio.file.Files.writeString(dir.resolve("refs/lockstep/pins/" + second + ".lock"), "");
        try (GitMirror mirror = GitMirror.open(dir, tmp.resolve("served/schemas.git").toUri().toString(),
                Duration.ofSeconds(20))) {
            mirror.fetch(second, "main", () -> { });
            mirror.pin(second);
            assertThat(mirror.pins()).containsExactlyInAnyOrder(first, second);
        }
    }

    /** git daemon over {@code served/}, letting clients fetch unadvertised commits by id or not. */
    private GitDaemon daemon(boolean allowReachableSha1InWant) {
        return GitDaemon.serve(tmp.resolve("served"), tmp.resolve("daemon.log"), allowReachableSha1InWant);
    }

    private GitMirror mirrorOf(GitDaemon daemon) {
        return GitMirror.open(tmp.resolve("mirror.git"), daemon.url("schemas.git"), Duration.ofSeconds(20));
    }

    private static void forceProtocolV0(GitMirror mirror) throws Exception {
        StoredConfig config = mirror.repository().getConfig();
        config.setString("protocol", null, "version", "0");
        config.save();
    }
}

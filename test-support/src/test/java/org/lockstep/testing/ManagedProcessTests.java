package org.lockstep.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTests {

    @TempDir
    Path tmp;

    @Test
    void killTakesTheWholeTreeAndReportsSigkill() {
        try (ManagedProcess shell = ManagedProcess.command(List.of("sh", "-c",
                "sleep 300 & sleep 300 & echo children started; wait")).log(tmp.resolve("sh.log")).start()) {
            assertThat(shell.awaitLog("children started", Duration.ofSeconds(10))).isEqualTo("children started");
            List<ProcessHandle> children = ProcessHandle.of(shell.pid()).orElseThrow().descendants().toList();
            assertThat(children).hasSize(2);

            assertThat(shell.kill()).isEqualTo(137);
            assertThat(children).noneMatch(ProcessHandle::isAlive);
        }
    }

    @Test
    void pauseStopsTheProcessUntilResumed() throws Exception {
        try (ManagedProcess ticker = ManagedProcess.command(List.of("sh", "-c",
                "while true; do echo tick; sleep 0.05; done")).log(tmp.resolve("tick.log")).start()) {
            ticker.awaitLog("tick", Duration.ofSeconds(10));
            ticker.pause();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> state(ticker.pid()) == 'T');
            ticker.resume();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> state(ticker.pid()) != 'T');
        }
    }

    @Test
    void waitsFailAtOnceWithTheLogWhenTheProcessDies() {
        try (ManagedProcess failing = ManagedProcess.command(List.of("sh", "-c", "echo cannot start; exit 3"))
                .named("failing").log(tmp.resolve("failing.log")).start()) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> failing.awaitLog("ready", Duration.ofSeconds(60)))
                    .hasMessageContaining("failing exited with 3").hasMessageContaining("cannot start");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void aRestartedProcessAwaitsOnlyItsOwnOutput() {
        Path log = tmp.resolve("twice.log");
        try (ManagedProcess first = ManagedProcess.command(List.of("sh", "-c", "echo first run")).log(log).start()) {
            first.awaitLog("first run", Duration.ofSeconds(10));
        }
        try (ManagedProcess second = ManagedProcess.command(List.of("sh", "-c", "echo second run; sleep 300"))
                .log(log).start()) {
            second.awaitLog("second run", Duration.ofSeconds(10));
            assertThat(second.output()).doesNotContain("first run");
            assertThat(second.logText()).contains("first run").contains("second run");
        }
    }

    @Test
    void gitDaemonServesBareRepositoriesAndStopsWithItsChildren() {
        GitRepo work = GitRepo.init(tmp.resolve("work"));
        String commit = work.write("a", "1").commit("served");
        work.cloneBare(tmp.resolve("served/repo.git"));
        ManagedProcess process;
        try (GitDaemon daemon = GitDaemon.serve(tmp.resolve("served"), tmp.resolve("daemon.log"), true)) {
            process = daemon.process();
            assertThat(Processes.run(tmp, "git", "ls-remote", daemon.url("repo.git")))
                    .contains(commit + "\trefs/heads/main");
            assertThat(GitRepo.open(tmp.resolve("served/repo.git")).repository().getConfig()
                    .getBoolean("uploadpack", "allowReachableSHA1InWant", false)).isTrue();
        }
        assertThat(process.alive()).isFalse();
    }

    private static char state(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }
}

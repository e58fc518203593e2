package org.lockstep.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import org.lockstep.cli.Views.Repo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep pause REPO --reason TEXT}: hold back activation (operator); hosts still prepare. */
@Command(name = "pause", description = "Hold back activation of REPO (operator): hosts still prepare targets, "
        + "nothing becomes active until resume.")
final class PauseCommand implements Callable<Integer> {

    @ParentCommand
    private Lockstep root;

    @Parameters(index = "0", paramLabel = "REPO")
    private String repo;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (shown in the history).")
    private String reason;

    @Override
    public Integer call() {
        return PauseCommand.act(root, repo, "pause", reason);
    }

    /** Pause and resume answer with the repository; both are idempotent. */
    static int act(Lockstep root, String repo, String action, String reason) {
        Repo answer = root.client(true).post(RolloutCommand.repoPath(repo) + "/" + action,
                Map.of("reason", reason), Repo.class);
        Output output = root.output();
        output.line(answer.name() + ": activation " + (answer.isPaused() ? "paused" : "resumed")
                + (answer.target() == null ? "" : "; target " + Texts.commit(answer.target())));
        output.event(action + "d", Output.fields("repo", answer.name(), "paused", answer.isPaused()));
        return ExitCode.COMPLETE.code();
    }
}

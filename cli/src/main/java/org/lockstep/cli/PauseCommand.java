package org.lockstep.cli;

import java.util.concurrent.Callable;

import org.lockstep.cli.Views.Repo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep pause REPO --reason TEXT}: hold back activation (operator); hosts still prepare. */
@Command(name = "pause", description = "Hold back activation of REPO (operator): hosts still prepare targets, "
        + "nothing becomes active until resume.")
final class PauseCommand implements Callable<Integer> {

    @ParentCommand
    private Lockstep root;

    @Mixin
    private OperatorAction action;

    @Override
    public Integer call() {
        return PauseCommand.act(root, action, "pause");
    }

    /** Pause and resume answer with the repository; both are idempotent. */
    static int act(Lockstep root, OperatorAction action, String name) {
        Repo answer = root.client(true).post(action.path(name), action.body(null), Repo.class);
        Output output = root.output();
        output.line(answer.name() + ": activation " + (answer.isPaused() ? "paused" : "resumed")
                + (answer.target() == null ? "" : "; target " + Texts.commit(answer.target())));
        output.event(name + "d", Output.fields("repo", answer.name(), "paused", answer.isPaused()));
        return ExitCode.COMPLETE.code();
    }
}

package org.lockstep.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep resume REPO --reason TEXT}: let activation happen again (operator). */
@Command(name = "resume", description = "Let activation of REPO happen again (operator); a target every host has "
        + "ready activates at once.")
final class ResumeCommand implements Callable<Integer> {

    @ParentCommand
    private Lockstep root;

    @Parameters(index = "0", paramLabel = "REPO")
    private String repo;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (shown in the history).")
    private String reason;

    @Override
    public Integer call() {
        return PauseCommand.act(root, repo, "resume", reason);
    }
}

package org.lockstep.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep resume REPO --reason TEXT}: let activation happen again (operator). */
@Command(name = "resume", description = "Let activation of REPO happen again (operator); a target every host has "
        + "ready activates at once.")
final class ResumeCommand implements Callable<Integer> {

    @ParentCommand
    private Lockstep root;

    @Mixin
    private OperatorAction action;

    @Override
    public Integer call() {
        return PauseCommand.act(root, action, "resume");
    }
}

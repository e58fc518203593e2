package org.lockstep.cli;

import java.util.concurrent.Callable;

import org.lockstep.cli.Views.Rollout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep cancel REPO [--rollout ID] --reason TEXT}: withdraw the pending rollout (operator). */
@Command(name = "cancel", description = "Withdraw REPO's pending rollout (operator): hosts keep serving the active "
        + "commit.")
final class CancelCommand implements Callable<Integer> {

    @ParentCommand
    private Lockstep root;

    @Mixin
    private OperatorAction action;

    @Option(names = "--rollout", paramLabel = "ID",
            description = "Cancel only if this rollout is still the pending one (refused otherwise).")
    private Long rollout;

    @Override
    public Integer call() {
        Rollout cancelled = root.client(true).post(action.path("cancel"), action.body(rollout), Rollout.class);
        root.output().line("cancelled: " + RolloutCommand.describe(cancelled));
        root.output().event("rollout-cancelled", Output.fields("rollout", cancelled.id(), "repo",
                cancelled.repo(), "commit", cancelled.commit()));
        return ExitCode.COMPLETE.code();
    }
}

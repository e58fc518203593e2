package org.lockstep.cli;

import org.lockstep.cli.Views.Rollout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lockstep retry REPO --reason TEXT [--rollout ID] [--wait]}: {@code POST .../retry} (operator). */
@Command(name = "retry", description = {"Make hosts retry a permanently failed preparation of REPO's target "
    + "(operator), after the cause was fixed outside Lockstep.",
    "Hosts never retry a permanent failure without it; transient errors are retried on their own."})
final class RetryCommand extends RolloutCommand {

    @Mixin
    private OperatorAction action;

    @Option(names = "--rollout", paramLabel = "ID",
            description = "Retry only if this rollout is still the pending one (refused otherwise).")
    private Long rollout;

    @Override
    public Integer call() {
        return answered("retry requested", root.client(true).post(action.path("retry"), action.body(rollout),
                Rollout.class));
    }
}

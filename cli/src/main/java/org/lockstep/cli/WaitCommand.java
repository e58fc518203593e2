package org.lockstep.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep wait ROLLOUT-ID [--timeout 15m]}: waits for a rollout someone else started. */
@Command(name = "wait", description = "Wait for a rollout to complete, fail, time out or be superseded.")
final class WaitCommand implements Callable<Integer> {

    @ParentCommand
    private Lockstep root;

    @Parameters(index = "0", paramLabel = "ROLLOUT-ID", description = "The rollout's id (as target printed it).")
    private long id;

    @Mixin
    private WaitOptions waiting;

    @Override
    public Integer call() {
        return root.waiter(waiting).await(id, waiting.timeout());
    }
}

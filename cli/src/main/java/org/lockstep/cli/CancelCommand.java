package org.lockstep.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lockstep.cli.Views.Rollout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep cancel REPO [--rollout ID] --reason TEXT}: withdraw the pending rollout (operator). */
@Command(name = "cancel", description = "Withdraw REPO's pending rollout (operator): hosts keep serving the active "
        + "commit.")
final class CancelCommand implements Callable<Integer> {

    @ParentCommand
    private Lockstep root;

    @Parameters(index = "0", paramLabel = "REPO")
    private String repo;

    @Option(names = "--rollout", paramLabel = "ID",
            description = "Cancel only if this rollout is still the pending one (refused otherwise).")
    private Long rollout;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (shown in the history).")
    private String reason;

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", reason);
        if (rollout != null) {
            body.put("rollout", rollout);
        }
        Rollout cancelled = root.client(true).post(RolloutCommand.repoPath(repo) + "/cancel", body, Rollout.class);
        root.output().line("cancelled: " + RolloutCommand.describe(cancelled));
        root.output().event("rollout-cancelled", Output.fields("rollout", cancelled.id(), "repo",
                cancelled.repo(), "commit", cancelled.commit()));
        return ExitCode.COMPLETE.code();
    }
}

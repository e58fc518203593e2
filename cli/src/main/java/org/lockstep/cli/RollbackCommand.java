package org.lockstep.cli;

import java.util.Map;

import org.lockstep.cli.Views.Rollout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lockstep rollback REPO COMMIT --reason TEXT [--wait]}: {@code POST .../rollback} (operator). */
@Command(name = "rollback", description = "Go back to an earlier COMMIT of REPO (operator); hosts switch together.")
final class RollbackCommand extends RolloutCommand {

    @Parameters(index = "0", paramLabel = "REPO")
    private String repo;

    @Parameters(index = "1", paramLabel = "COMMIT", description = "The full id of the commit to go back to.")
    private String commit;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (shown in the history).")
    private String reason;

    @Override
    public Integer call() {
        Rollout rollout = root.client(true).post(repoPath(repo) + "/rollback",
                Map.of("commit", commit, "reason", reason), Rollout.class);
        return answered("rollback set", rollout);
    }
}

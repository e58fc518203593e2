package org.lockstep.cli;

import org.lockstep.cli.Views.Rollout;
import org.lockstep.protocol.TargetRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lockstep target REPO COMMIT --reason TEXT [--rollback] [--wait]}: {@code PUT .../target}. */
@Command(name = "target", description = "Make COMMIT (a full commit id on the branch) the target of REPO.")
final class TargetCommand extends RolloutCommand {

    @Parameters(index = "0", paramLabel = "REPO", description = "The repository, e.g. primary.")
    private String repo;

    @Parameters(index = "1", paramLabel = "COMMIT", description = "The full commit id (40 or 64 hex characters).")
    private String commit;

    @Option(names = "--reason", required = true, paramLabel = "TEXT",
            description = "Why (shown in the history), e.g. the pipeline URL.")
    private String reason;

    @Option(names = "--rollback", description = "Allow a commit behind the active one (needs an operator token).")
    private boolean rollback;

    @Override
    public Integer call() {
        String path = repoPath(repo) + "/target";
        Rollout rollout = root.client(true).put(path, new TargetRequest(commit, reason, rollback), Rollout.class);
        return answered("target set", rollout);
    }
}

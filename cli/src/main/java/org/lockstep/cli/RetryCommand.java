package org.lockstep.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import org.lockstep.cli.Views.Rollout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lockstep retry REPO --reason TEXT [--rollout ID] [--wait]}: {@code POST .../retry} (operator). */
@Command(name = "retry", description = {"Make hosts retry a permanently failed preparation of REPO's target "
    + "(operator), after the cause was fixed outside Lockstep.",
    "Hosts never retry a permanent failure without it; transient errors are retried on their own."})
final class RetryCommand extends RolloutCommand {

    @Parameters(index = "0", paramLabel = "REPO")
    private String repo;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (shown in the history).")
    private String reason;

    @Option(names = "--rollout", paramLabel = "ID",
            description = "Retry only if this rollout is still the pending one (refused otherwise).")
    private Long rollout;

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", reason);
        if (rollout != null) {
            body.put("rollout", rollout);
        }
        return answered("retry requested", root.client(true).post(repoPath(repo) + "/retry", body, Rollout.class));
    }
}

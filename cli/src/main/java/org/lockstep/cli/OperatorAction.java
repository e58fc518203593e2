package org.lockstep.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What an operator's action on a repository names (a picocli mixin): {@code REPO}, {@code --reason TEXT} and, for the
 * actions on the pending rollout (cancel, retry), {@code --rollout ID}, which makes the manifest refuse the action once
 * another rollout has become the pending one.
 */
final class OperatorAction {

    @Parameters(index = "0", paramLabel = "REPO")
    String repo;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (shown in the history).")
    String reason;

    /** {@code POST /api/v1/repos/REPO/<action>}'s path. */
    String path(String action) {
        return RolloutCommand.repoPath(repo) + "/" + action;
    }

    /** The request body: the reason and, when given, the rollout the operator looked at. */
    Map<String, Object> body(Long rollout) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", reason);
        if (rollout != null) {
            body.put("rollout", rollout);
        }
        return body;
    }
}

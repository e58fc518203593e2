package org.lockstep.cli;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

import org.lockstep.cli.Views.Repo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code lockstep status [REPO]}: what every host of each repository serves, as a table for a terminal. */
@Command(name = "status", description = "Show the active commit, the rollout and every host of REPO (or of every "
        + "repository); of a fleet larger than " + HostMarks.PAGE + " hosts, the counts and the hosts that need a"
        + " look.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    private Lockstep root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "REPO")
    private String repo;

    @Override
    public Integer call() {
        ManifestClient client = root.client(false);
        Output output = root.output();
        if (output.json()) {
            JsonNode answer = client.get(repo == null ? "/api/v1/repos" : RolloutCommand.repoPath(repo),
                    JsonNode.class);
            if (answer.isArray()) {
                answer.forEach(output::value);
            }
            else {
                output.value(answer);
            }
            return ExitCode.COMPLETE.code();
        }
        List<Repo> repos = (repo == null ? List.of(client.get("/api/v1/repos", Repo[].class))
                : List.of(client.get(RolloutCommand.repoPath(repo), Repo.class))).stream()
                .map(r -> HostMarks.every(client, r).map(r::withHosts).orElse(r)).toList();
        StatusTable table = new StatusTable(Clock.systemUTC().instant());
        for (int i = 0; i < repos.size(); i++) {
            if (i > 0) {
                output.line("");
            }
            table.lines(repos.get(i)).forEach(output::line);
        }
        return ExitCode.COMPLETE.code();
    }
}

package org.lockstep.cli;

import java.util.concurrent.Callable;

import org.lockstep.cli.Views.Rollout;
import org.lockstep.cli.Views.State;
import org.lockstep.protocol.RepoName;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** A command whose answer is a rollout (target, rollback, retry): prints it, then with {@code --wait} waits. */
abstract class RolloutCommand implements Callable<Integer> {

    @ParentCommand
    Lockstep root;

    @Option(names = "--wait", description = "Wait until every host serves the commit (see the exit codes).")
    boolean wait;

    @Mixin
    WaitOptions waiting;

    /** Prints what the manifest answered and, with {@code --wait}, waits for the rollout to end. */
    int answered(String what, Rollout rollout) {
        Output output = root.output();
        output.line(what + ": " + describe(rollout));
        output.event(what.replace(' ', '-'), Output.fields("rollout", rollout.id(), "repo", rollout.repo(),
                "commit", rollout.commit(), "state", rollout.state().name()));
        if (!wait) {
            return ExitCode.COMPLETE.code();
        }
        if (rollout.state() == State.COMPLETE) {
            output.event("complete", Output.fields("rollout", rollout.id(), "repo", rollout.repo(), "commit",
                    rollout.commit(), "exitCode", 0));
            output.line("nothing to wait for: every host already serves " + Texts.commit(rollout.commit()));
            return ExitCode.COMPLETE.code();
        }
        return root.waiter(waiting).await(rollout, waiting.timeout());
    }

    static String describe(Rollout r) {
        return "rollout " + r.id() + " of " + r.repo() + ", " + Texts.commit(r.commit()) + " " + r.state()
                + (Boolean.TRUE.equals(r.rollback()) ? " (rollback)" : "") + ", set by " + r.createdBy()
                + (r.reason() == null ? "" : ": " + r.reason());
    }

    /** A repository name as a path segment; anything else is refused before it reaches a URL. */
    static String repoPath(String repo) {
        if (!RepoName.isValid(repo)) {
            throw new CliFailure(ExitCode.REFUSED, "not a repository name (lower case letters, digits and dashes,"
                    + " starting with a letter): '" + repo + "'");
        }
        return "/api/v1/repos/" + repo;
    }
}

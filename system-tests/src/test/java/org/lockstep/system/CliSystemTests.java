package org.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.testing.Processes;
import org.lockstep.testing.cli.LockstepCli;
import org.lockstep.testing.cli.LockstepCli.Outcome;
import org.lockstep.testing.fleet.Fleet;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.Tokens;
import tools.jackson.databind.JsonNode;

/**
 * The real {@code lockstep.jar}, run as a CI job runs it, against a real manifest and real agents: each exit code of
 * docs/ci.md for the situation it stands for, with the words a person needs in the job log.
 */
class CliSystemTests extends FleetTest {

    private static final String REPO = Fleet.REPO;

    private static final String OK_HOST = "schema1001";

    private static final String FAILING_HOST = "schema2001";

    private static final List<String> HOSTS = List.of(OK_HOST, FAILING_HOST);

    private static final String GITLAB_SECRET = "gitlab-hook-secret-for-cli-tests";

    private static final String[] FAST_WAIT = {"--wait", "--timeout", "2m", "--poll-interval", "200ms"};

    @TempDir
    Path tmp;

    @Test
    void targetWaitExitsZeroWhenEveryHostSwitchedAndOneWhenAVerifyCommandFailsUntilAnOperatorRetries()
            throws IOException {
        Path runs = tmp.resolve("verify-runs");
        Path installed = Files.createFile(tmp.resolve("xmllint-installed"));
        // A short poll-timeout: the agents run a sync round every 2 s, so a retry the agent would make on its own
        // would show within seconds.
        fleet = new Fleet(HOSTS, manifest -> manifest.pollTimeout("2s"), (host, agent) -> {
            if (host.equals(FAILING_HOST)) {
                agent.repoProperty(REPO, "verify-command", "echo run >> " + runs + "; test -f " + installed
                        + " || { echo 'xmllint: jsonschema/test-event/1.1.0.yaml fails to validate' >&2; exit 1; }");
            }
        });
        fleet.start();
        LockstepCli cli = new LockstepCli(tmp.resolve("cli"), fleet.manifest().url()).token(Tokens.CI);

        String first = fleet.schemas().addVersion("test-event", "1.0.0");
        Outcome complete = cli.run(args("target", REPO, first, "--reason", "pipeline 4711"));

        assertThat(complete.exitCode()).as("%s", complete).isZero();
        assertThat(complete.stdout()).contains("target set: rollout", OK_HOST + " prepared",
                FAILING_HOST + " prepared", "activated: every host is ready", "switched (2/2)",
                "complete: 2 hosts serve " + first.substring(0, 12));
        assertThat(fleet.agents().values()).allMatch(agent -> first.equals(agent.current().orElse(null)));

        Files.delete(installed);
        String second = fleet.schemas().addVersion("test-event", "1.1.0");
        Outcome failed = cli.run(args("target", REPO, second, "--reason", "pipeline 4712"));

        assertThat(failed.exitCode()).as("%s", failed).isEqualTo(1);
        assertThat(failed.stderr()).contains("failed: " + second.substring(0, 12) + " cannot become active",
                "1 host failed with a permanent error", FAILING_HOST + " (since",
                "xmllint: jsonschema/test-event/1.1.0.yaml fails to validate", "lockstep retry " + REPO)
                .doesNotContain(OK_HOST + " (since");
        assertThat(failed.took()).as("a failing verify command fails the job within seconds")
                .isLessThan(Duration.ofSeconds(30));
        assertThat(fleet.agents().values()).as("nothing switched")
                .allMatch(agent -> first.equals(agent.current().orElse(null)));

        // Several sync rounds later the failed preparation has still run only once: nothing retries it on its own,
        // not even after the cause is gone.
        Files.createFile(installed);
        Awaitility.await("no retry").during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(20))
                .until(() -> Files.readAllLines(runs).size() == 2 && "PREPARING".equals(fleet.rolloutState(second)));

        Outcome retried = cli.token(Tokens.OPERATOR).run(args("retry", REPO, "--reason", "xmllint schema fixed"));

        assertThat(retried.exitCode()).as("%s", retried).isZero();
        assertThat(retried.stdout()).contains("retry requested: rollout", "retried by alice: xmllint schema fixed",
                "complete: 2 hosts serve " + second.substring(0, 12));
        assertThat(Files.readAllLines(runs)).hasSize(3);
        assertThat(fleet.agents().values()).allMatch(agent -> second.equals(agent.current().orElse(null)));
        fleet.invariants().holdOnObservedHistory();
    }

    @Test
    void aWaitThatTimesOutNamesTheHostItWaitsForAndASupersededOneNamesWhoCameFirst() {
        fleet = new Fleet(HOSTS);
        fleet.startWithFirstVersionDeployed();
        LockstepCli cli = new LockstepCli(tmp.resolve("cli"), fleet.manifest().url()).token(Tokens.CI);

        fleet.agent(FAILING_HOST).freeze();
        String second = fleet.schemas().addVersion("test-event", "1.1.0");
        Outcome timedOut = cli.run("target", REPO, second, "--reason", "pipeline 4712", "--wait", "--timeout", "5s",
                "--poll-interval", "250ms");

        assertThat(timedOut.exitCode()).as("%s", timedOut).isEqualTo(3);
        assertThat(timedOut.stderr()).contains("timed out after 5s", "is still PREPARING", "waiting since",
                "for 1 host to prepare " + second.substring(0, 12), FAILING_HOST + ": last seen")
                .doesNotContain(OK_HOST + ": ");

        long pending = fleet.api().repo(REPO).path("rollout").path("id").asLong();
        CompletableFuture<Outcome> waiting = cli.start("wait", Long.toString(pending), "--timeout", "2m",
                "--poll-interval", "250ms");
        String third = fleet.schemas().addVersion("test-event", "1.2.0");
        long newer = fleet.api().setTarget(Tokens.OPERATOR, REPO, third, "hotfix 1.2.0").expect(202).json()
                .path("id").asLong();
        Outcome superseded = waiting.join();

        assertThat(superseded.exitCode()).as("%s", superseded).isEqualTo(4);
        assertThat(superseded.stderr()).contains("rollout " + pending + " of " + REPO + " was superseded by alice",
                "rollout " + newer + ": " + third.substring(0, 12) + ", set by alice: hotfix 1.2.0");

        fleet.agent(FAILING_HOST).thaw();
        Outcome caughtUp = cli.run("wait", Long.toString(newer), "--timeout", "2m", "--poll-interval", "250ms");
        assertThat(caughtUp.exitCode()).as("%s", caughtUp).isZero();
        assertThat(fleet.agents().values()).allMatch(agent -> third.equals(agent.current().orElse(null)));
        fleet.invariants().holdOnObservedHistory();
    }

    @Test
    void refusedInputExitsTwoInTheManifestsWordsAndNoManifestExitsFive() {
        fleet = new Fleet(List.of(OK_HOST));
        String first = fleet.startWithFirstVersionDeployed();
        LockstepCli cli = new LockstepCli(tmp.resolve("cli"), fleet.manifest().url()).token(Tokens.CI);

        Outcome malformed = cli.run("target", REPO, "abc123", "--reason", "typo", "--wait");
        assertThat(malformed.exitCode()).as("%s", malformed).isEqualTo(2);
        assertThat(malformed.stderr()).contains("400 invalid-input: commit must be a full lower-case hex object id"
                + " (40 or 64 characters): \"abc123\" (field: commit)");

        Outcome notOnBranch = cli.run("target", REPO, fleet.schemas().unmergedCommit(), "--reason", "leak");
        assertThat(notOnBranch.exitCode()).as("%s", notOnBranch).isEqualTo(2);
        assertThat(notOnBranch.stderr()).contains("409 commit-not-on-branch");

        String closed = "http://127.0.0.1:" + Processes.freePort();
        Outcome unreachable = new LockstepCli(tmp.resolve("cli"), closed).token(Tokens.CI).run("--verbose", "target",
                REPO, first, "--reason", "nobody home", "--wait");
        assertThat(unreachable.exitCode()).as("%s", unreachable).isEqualTo(5);
        assertThat(unreachable.stderr()).contains("no manifest reachable: " + closed + ": could not connect");

        Outcome failover = new LockstepCli(tmp.resolve("cli"), closed + "," + fleet.manifest().url()).token(Tokens.CI)
                .run("--verbose", "status", REPO);
        assertThat(failover.exitCode()).as("%s", failover).isZero();
        assertThat(failover.stdout()).contains("active:  " + first.substring(0, 12), OK_HOST);
        assertThat(List.of(malformed, notOnBranch, unreachable, failover)).as("the token is never printed")
                .allSatisfy(outcome -> assertThat(outcome.output()).doesNotContain(Tokens.CI));
    }

    @Test
    void aGitlabHookDeliveredTwiceAfterARollbackLeavesTheRollbackInPlace() {
        fleet = new Fleet(List.of(OK_HOST), manifest -> manifest
                .repoProperty(REPO, "gitlab-project", "schemas/primary")
                .set("lockstep.manifest.hooks.gitlab.token-sha256", Tokens.sha256(GITLAB_SECRET)),
                (host, agent) -> { });
        String first = fleet.startWithFirstVersionDeployed();
        LockstepCli cli = new LockstepCli(tmp.resolve("cli"), fleet.manifest().url()).token(Tokens.OPERATOR);
        String second = fleet.schemas().addVersion("test-event", "1.1.0");
        String delivery = UUID.randomUUID().toString();

        Response hooked = gitlabPush(fleet.api(), second, delivery);
        assertThat(hooked.status()).as("%s", hooked).isEqualTo(202);
        Outcome deployed = cli.run("wait", Long.toString(hooked.json().path("rollout").asLong()), "--timeout", "2m",
                "--poll-interval", "200ms");
        assertThat(deployed.exitCode()).as("%s", deployed).isZero();

        Outcome rolledBack = cli.run(args("rollback", REPO, first, "--reason", "1.1.0 breaks consumers"));
        assertThat(rolledBack.exitCode()).as("%s", rolledBack).isZero();
        for (int redelivery = 0; redelivery < 2; redelivery++) {
            Response again = gitlabPush(fleet.api(), second, delivery);
            assertThat(again.status()).as("%s", again).isEqualTo(200);
            assertThat(again.json().path("ignored").asString()).contains("already had rollout");
        }

        Outcome status = cli.run("--json", "status", REPO);
        JsonNode repo = ManifestApi.JSON.readTree(status.stdout());
        assertThat(repo.path("active").asString()).isEqualTo(first);
        assertThat(repo.path("target").isNull()).isTrue();
        assertThat(repo.path("rollout").path("rollback").asBoolean()).isTrue();
        Awaitility.await("the rollback stays").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> first.equals(fleet.agent(OK_HOST).current().orElse(null)));
        fleet.invariants().holdOnObservedHistory();
    }

    /** {@code lockstep <command...> --wait} with a quick poll, as a CI job with a generous timeout would run it. */
    private static String[] args(String... command) {
        String[] all = new String[command.length + FAST_WAIT.length];
        System.arraycopy(command, 0, all, 0, command.length);
        System.arraycopy(FAST_WAIT, 0, all, command.length, FAST_WAIT.length);
        return all;
    }

    private static Response gitlabPush(ManifestApi api, String commit, String delivery) {
        String body = """
                {"object_kind": "push", "ref": "refs/heads/main", "after": "%s", "user_username": "jdoe",
                 "project": {"path_with_namespace": "schemas/primary"}, "commits": []}""".formatted(commit);
        return api.send(api.request("/hooks/gitlab", null).header("Content-Type", "application/json")
                .header("X-Gitlab-Event", "Push Hook").header("X-Gitlab-Token", GITLAB_SECRET)
                .header("X-Gitlab-Event-UUID", delivery).POST(HttpRequest.BodyPublishers.ofString(body)));
    }
}

package org.lockstep.manifest.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstep.testing.manifest.Problem.assertProblem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lockstep.manifest.ManifestApplication;
import org.lockstep.manifest.rollout.RolloutService;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.ManifestConfig;
import org.lockstep.testing.manifest.Tokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;

/**
 * Webhooks that cannot undo an operator: GitLab re-sends a push event when its call times out (with the same
 * {@code X-Gitlab-Event-UUID}), Gerrit's webhooks plugin retries up to {@code maxTries}, and both can be replayed by
 * hand. None of that may re-target a commit after an operator rolled back from it or cancelled it. Gerrit's events
 * are posted exactly as its webhooks plugin sends them (the stream event serialized by Gson, no custom header), with
 * the secret in the URL.
 */
@SpringBootTest(classes = ManifestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.org.springframework.web.servlet.DispatcherServlet=DEBUG",
            "logging.level.org.springframework.security.web.FilterChainProxy=DEBUG"})
@ExtendWith(OutputCaptureExtension.class)
class WebhookReplayIntegrationTests {

    private static final String GITLAB_SECRET = "gitlab-replay-secret-4711";

    private static final String GERRIT_SECRET = "gerrit-replay-secret-0815";

    private static final String HOST = "h1";

    private static final Path ROOT = tempDir();

    private static final List<String> REPOS = List.of("gl-rollback", "gl-cancel", "gl-late", "gl-race",
            "gr-rollback", "gr-cancel");

    private static final Map<String, GitRepo> UPSTREAM = upstreams();

    @LocalServerPort
    private int port;

    @Autowired
    private RolloutService rollouts;

    private ManifestApi api;

    @DynamicPropertySource
    static void configuration(DynamicPropertyRegistry registry) {
        ManifestConfig config = ManifestConfig.create(ROOT.resolve("data"));
        for (String repo : REPOS) {
            config.repo(repo, UPSTREAM.get(repo).url(), List.of(HOST))
                    .repoProperty(repo, "gitlab-project", "schemas/" + repo)
                    .repoProperty(repo, "gerrit-project", "schemas/" + repo);
        }
        config.set("lockstep.manifest.hooks.gitlab.token-sha256", Tokens.sha256(GITLAB_SECRET))
                .set("lockstep.manifest.hooks.gerrit.token-sha256", Tokens.sha256(GERRIT_SECRET))
                .token("alice", Tokens.OPERATOR, "operator")
                .agentToken(HOST, Tokens.agent(HOST))
                .properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @BeforeEach
    void client() {
        api = ManifestApi.onPort(port);
    }

    @Test
    void aGitlabHookDeliveredTwiceAfterARollbackLeavesTheRollbackInPlace() {
        String repo = "gl-rollback";
        String first = deployedByOperator(repo, "1.0.0");
        String second = UPSTREAM.get(repo).commit("add 1.1.0");
        String delivery = UUID.randomUUID().toString();
        Response push = gitlab(repo, second, delivery);
        assertThat(push.status()).as("%s", push).isEqualTo(202);
        switchHost(repo, first, second);
        rollBack(repo, second, first);
        JsonNode before = status(repo);

        for (int redelivery = 0; redelivery < 2; redelivery++) {
            Response again = gitlab(repo, second, delivery);
            assertThat(again.status()).as("%s", again).isEqualTo(200);
            assertThat(again.json().path("ignored").asString()).contains("already had rollout",
                    "an operator's rollback or cancel stands");
        }

        JsonNode after = status(repo);
        assertThat(after.path("active").asString()).isEqualTo(first);
        assertThat(after.path("target").isNull()).isTrue();
        assertThat(after.path("rollout").path("id").asLong()).isEqualTo(before.path("rollout").path("id").asLong());
        assertThat(after.path("rollout").path("rollback").asBoolean()).isTrue();
        assertThat(rolloutCount(repo)).isEqualTo(3);
        assertThat(after.path("revision").asLong()).isEqualTo(before.path("revision").asLong());
    }

    @Test
    void aGitlabHookReplayedAfterACancelDoesNotBringTheCommitBack() {
        String repo = "gl-cancel";
        String first = deployedByOperator(repo, "1.0.0");
        String broken = UPSTREAM.get(repo).commit("add a broken 1.1.0");
        String delivery = UUID.randomUUID().toString();
        assertThat(gitlab(repo, broken, delivery).status()).isEqualTo(202);
        // The same delivery while the rollout is still pending is the same rollout, not a new one.
        Response duplicate = gitlab(repo, broken, delivery);
        assertThat(duplicate.status()).isEqualTo(202);
        assertThat(duplicate.json().path("rollout").asLong())
                .isEqualTo(status(repo).path("rollout").path("id").asLong());

        assertThat(api.post("/api/v1/repos/" + repo + "/cancel", Tokens.OPERATOR, Map.of("reason", "broken schema"))
                .status()).isEqualTo(200);
        Response replayed = gitlab(repo, broken, delivery);

        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.json().path("ignored").asString()).contains("CANCELLED", "alice");
        JsonNode after = status(repo);
        assertThat(after.path("target").isNull()).isTrue();
        assertThat(after.path("active").asString()).isEqualTo(first);
        assertThat(rolloutCount(repo)).isEqualTo(2);

        String fixed = UPSTREAM.get(repo).commit("fix 1.1.0");
        assertThat(gitlab(repo, fixed, UUID.randomUUID().toString()).status()).as("a new commit still deploys")
                .isEqualTo(202);
        assertThat(status(repo).path("target").asString()).isEqualTo(fixed);
    }

    @Test
    void aLateEventNeverMovesThePendingTargetBackNorWithdrawsIt() {
        String repo = "gl-late";
        String first = deployedByOperator(repo, "1.0.0");
        String older = UPSTREAM.get(repo).commit("add 1.1.0");
        String newer = UPSTREAM.get(repo).commit("add 1.2.0");
        assertThat(gitlab(repo, newer, UUID.randomUUID().toString()).status()).isEqualTo(202);
        long pending = status(repo).path("rollout").path("id").asLong();

        Response late = gitlab(repo, older, UUID.randomUUID().toString());
        Response active = gitlab(repo, first, UUID.randomUUID().toString());

        assertThat(late.status()).isEqualTo(200);
        assertThat(late.json().path("ignored").asString()).contains("behind the pending target");
        assertThat(active.status()).isEqualTo(200);
        assertThat(active.json().path("ignored").asString()).contains("already active");
        JsonNode after = status(repo);
        assertThat(after.path("target").asString()).isEqualTo(newer);
        assertThat(after.path("rollout").path("id").asLong()).isEqualTo(pending);
        assertThat(after.path("rollout").path("state").asString()).isEqualTo("PREPARING");
    }

    /**
     * A delivery that decided on the state before a twin delivery targeted the commit and an operator cancelled it
     * (the two deliveries handled at once): its target is written against the revision it decided on, so it writes
     * nothing and the offer is decided again, on the history that now has the cancel.
     */
    @Test
    void aDecisionTakenBeforeAnOperatorsCancelWritesNothing() {
        String repo = "gl-race";
        String first = deployedByOperator(repo, "1.0.0");
        String broken = UPSTREAM.get(repo).commit("add a broken 1.1.0");
        long decidedOn = rollouts.state(repo).revision();
        String delivery = UUID.randomUUID().toString();
        assertThat(gitlab(repo, broken, delivery).status()).isEqualTo(202);
        assertThat(api.post("/api/v1/repos/" + repo + "/cancel", Tokens.OPERATOR, Map.of("reason", "broken schema"))
                .status()).isEqualTo(200);
        JsonNode before = status(repo);

        assertThat(rollouts.setTargetUnlessMoved(repo, broken, "GitLab push by jdoe", "gitlab-webhook", decidedOn))
                .as("the state moved since the decision").isEmpty();

        JsonNode after = status(repo);
        assertThat(after.path("target").isNull()).isTrue();
        assertThat(after.path("active").asString()).isEqualTo(first);
        assertThat(after.path("revision").asLong()).isEqualTo(before.path("revision").asLong());
        assertThat(rolloutCount(repo)).isEqualTo(2);
        Response decidedAgain = gitlab(repo, broken, delivery);
        assertThat(decidedAgain.status()).isEqualTo(200);
        assertThat(decidedAgain.json().path("ignored").asString()).contains("CANCELLED", "alice");
        assertThat(rollouts.setTargetUnlessMoved(repo, UPSTREAM.get(repo).commit("fix 1.1.0"), "GitLab push by jdoe",
                "gitlab-webhook", rollouts.state(repo).revision())).as("an unmoved state takes the target")
                .isPresent();
    }

    @Test
    void aGerritEventRetriedAfterARollbackLeavesTheRollbackInPlace(CapturedOutput output) {
        String repo = "gr-rollback";
        String first = deployedByOperator(repo, "1.0.0");
        String second = UPSTREAM.get(repo).commit("Change I1a2b: add 1.1.0");
        Response event = gerrit("/hooks/gerrit?token=" + GERRIT_SECRET, refUpdated(repo, first, second));
        assertThat(event.status()).as("%s", event).isEqualTo(202);
        assertThat(status(repo).path("rollout").path("createdBy").asString()).isEqualTo("gerrit-webhook");
        assertThat(status(repo).path("rollout").path("reason").asString()).isEqualTo("Gerrit ref-updated by jdoe");
        switchHost(repo, first, second);
        rollBack(repo, second, first);

        Response retried = gerrit("/hooks/gerrit?token=" + GERRIT_SECRET, refUpdated(repo, first, second));

        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.json().path("ignored").asString()).contains("already had rollout");
        JsonNode after = status(repo);
        assertThat(after.path("active").asString()).isEqualTo(first);
        assertThat(after.path("rollout").path("rollback").asBoolean()).isTrue();
        assertThat(output.getAll()).as("the request is logged at DEBUG").contains("\"/hooks/gerrit\"")
                .doesNotContain(GERRIT_SECRET);
    }

    @Test
    void aGerritEventReplayedAfterACancelIsIgnored() {
        String repo = "gr-cancel";
        String first = deployedByOperator(repo, "1.0.0");
        String broken = UPSTREAM.get(repo).commit("Change I3c4d: broken 1.1.0");
        assertThat(gerrit("/hooks/gerrit?token=" + GERRIT_SECRET, refUpdated(repo, first, broken)).status())
                .isEqualTo(202);
        assertThat(api.post("/api/v1/repos/" + repo + "/cancel", Tokens.OPERATOR, Map.of("reason", "broken"))
                .status()).isEqualTo(200);

        Response replayed = gerrit("/hooks/gerrit?token=" + GERRIT_SECRET, refUpdated(repo, first, broken));

        assertThat(replayed.status()).isEqualTo(200);
        assertThat(status(repo).path("target").isNull()).isTrue();
    }

    @Test
    void aGerritSecretInTheUrlIsComparedLikeAnyOtherAndNeverLogged(CapturedOutput output) {
        String repo = "gr-cancel";
        String before = api.get("/api/v1/repos/" + repo).body();
        String commit = UPSTREAM.get(repo).commit("Change I5e6f: not announced");
        String guess = "gerrit-replay-secret-0816";

        Response wrong = gerrit("/hooks/gerrit?token=" + guess, refUpdated(repo, null, commit));
        Response missing = gerrit("/hooks/gerrit", refUpdated(repo, null, commit));
        Response otherParameter = gerrit("/hooks/gerrit?secret=" + GERRIT_SECRET, refUpdated(repo, null, commit));

        assertThat(List.of(wrong.status(), missing.status(), otherParameter.status())).containsOnly(401);
        assertProblem(wrong, 401, "webhook-refused");
        assertThat(wrong.body()).doesNotContain(guess);
        assertThat(api.get("/api/v1/repos/" + repo).body()).isEqualTo(before);
        assertThat(output.getAll()).contains("event=webhook-refused hook=gerrit").doesNotContain(guess);
    }

    /** Sets a first commit through the API and lets the host prepare and switch to it. */
    private String deployedByOperator(String repo, String version) {
        String commit = UPSTREAM.get(repo).commit("add " + version);
        Response target = api.put("/api/v1/repos/" + repo + "/target", Tokens.OPERATOR,
                Map.of("commit", commit, "reason", "first deploy"));
        assertThat(target.status()).as("%s", target).isEqualTo(202);
        switchHost(repo, null, commit);
        return commit;
    }

    /** The host prepares {@code to}, the manifest activates it, the host switches. */
    private void switchHost(String repo, String from, String to) {
        report(repo, from, to);
        assertThat(status(repo).path("active").asString()).isEqualTo(to);
        report(repo, to, to);
        assertThat(status(repo).path("rollout").path("state").asString()).isEqualTo("COMPLETE");
    }

    private void rollBack(String repo, String from, String to) {
        Response rollback = api.post("/api/v1/repos/" + repo + "/rollback", Tokens.OPERATOR,
                Map.of("commit", to, "reason", "1.1.0 breaks consumers"));
        assertThat(rollback.status()).as("%s", rollback).isEqualTo(202);
        switchHost(repo, from, to);
    }

    private void report(String repo, String current, String next) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("repo", repo);
        entry.put("current", current);
        entry.put("next", next);
        Response response = api.post("/api/v1/agents/" + HOST + "/report", Tokens.agent(HOST),
                Map.of("sentAt", Instant.now().toString(), "revision", 0, "repos", List.of(entry)));
        assertThat(response.status()).as("%s", response).isEqualTo(200);
    }

    private JsonNode status(String repo) {
        return api.get("/api/v1/repos/" + repo).json();
    }

    private long rolloutCount(String repo) {
        return api.get("/api/v1/repos/" + repo + "/rollouts").json().path("total").asLong();
    }

    private Response gitlab(String repo, String commit, String delivery) {
        String body = """
                {"object_kind": "push", "event_name": "push", "ref": "refs/heads/main", "before": "%s",
                 "after": "%s", "user_username": "jdoe", "project": {"path_with_namespace": "schemas/%s"},
                 "commits": [], "total_commits_count": 1}
                """.formatted("0".repeat(40), commit, repo);
        return api.send(api.request("/hooks/gitlab", null).header("Content-Type", "application/json")
                .header("X-Gitlab-Event", "Push Hook").header("X-Gitlab-Token", GITLAB_SECRET)
                .header("X-Gitlab-Event-UUID", delivery).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A {@code ref-updated} event as the webhooks plugin posts it: Gson's form of Gerrit's stream event. */
    private static String refUpdated(String repo, String oldRev, String newRev) {
        return """
                {"submitter":{"name":"J. Doe","email":"jdoe@example.org","username":"jdoe"},\
                "refUpdate":{"oldRev":"%s","newRev":"%s","refName":"refs/heads/main","project":"schemas/%s"},\
                "type":"ref-updated","eventCreatedOn":1764660000}""".formatted(
                oldRev == null ? "0".repeat(40) : oldRev, newRev, repo);
    }

    /** Posted like the plugin does: its own Content-Type, the event as the body, no other header. */
    private Response gerrit(String path, String body) {
        return api.send(api.request(path, null).header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Map<String, GitRepo> upstreams() {
        Map<String, GitRepo> repos = new LinkedHashMap<>();
        REPOS.forEach(repo -> repos.put(repo, GitRepo.init(ROOT.resolve(repo))));
        return repos;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("lockstep-replay-it-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

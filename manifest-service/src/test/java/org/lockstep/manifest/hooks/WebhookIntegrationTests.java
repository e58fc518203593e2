package org.lockstep.manifest.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockstep.manifest.ManifestApplication;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.ManifestConfig;
import org.lockstep.testing.manifest.Tokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;

/** Merges that become targets with no CI job: GitLab and Gerrit webhooks, and the branch watcher. */
@SpringBootTest(classes = ManifestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebhookIntegrationTests {

    private static final String GITLAB_SECRET = "gitlab-shared-secret";

    private static final String GERRIT_SECRET = "gerrit-shared-secret";

    private static final Path ROOT = tempDir();

    private static final GitRepo HOOKED = GitRepo.init(ROOT.resolve("hooked"));

    private static final GitRepo WATCHED = GitRepo.init(ROOT.resolve("watched"));

    @LocalServerPort
    private int port;

    private ManifestApi api;

    @DynamicPropertySource
    static void configuration(DynamicPropertyRegistry registry) {
        ManifestConfig.create(ROOT.resolve("data"))
                .repo("hooked", HOOKED.url(), List.of("h1"))
                .repoProperty("hooked", "gitlab-project", "schemas/hooked")
                .repoProperty("hooked", "gerrit-project", "schemas/hooked")
                .repo("watched", WATCHED.url(), List.of("h1"))
                .repoProperty("watched", "watch-interval", "200ms")
                .set("lockstep.manifest.hooks.gitlab.token-sha256", Tokens.sha256(GITLAB_SECRET))
                .set("lockstep.manifest.hooks.gerrit.token-sha256", Tokens.sha256(GERRIT_SECRET))
                .token("alice", Tokens.OPERATOR, "operator")
                .properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @BeforeEach
    void client() {
        api = ManifestApi.onPort(port);
    }

    @Test
    void gitlabPushToTheConfiguredBranchSetsTheTargetInTheWebhooksName() {
        String commit = HOOKED.commit("merge !42");
        Response response = post("/hooks/gitlab", Map.of("X-Gitlab-Event", "Push Hook",
                "X-Gitlab-Token", GITLAB_SECRET), gitlabPush("schemas/hooked", "refs/heads/main", commit));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode repo = api.get("/api/v1/repos/hooked").json();
        assertThat(repo.path("target").asString()).isEqualTo(commit);
        assertThat(repo.path("rollout").path("createdBy").asString()).isEqualTo("gitlab-webhook");
        assertThat(repo.path("rollout").path("reason").asString()).isEqualTo("GitLab push by jdoe");
    }

    @Test
    void gitlabPushWithAWrongSecretIsRefusedAndChangesNothing() {
        String before = api.get("/api/v1/repos/hooked").body();
        String commit = HOOKED.commit("not announced");
        Response response = post("/hooks/gitlab", Map.of("X-Gitlab-Event", "Push Hook",
                "X-Gitlab-Token", "guess"), gitlabPush("schemas/hooked", "refs/heads/main", commit));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).contains("urn:lockstep:problem:webhook-refused");
        assertThat(api.get("/api/v1/repos/hooked").body()).isEqualTo(before);
    }

    @Test
    void pushesToOtherBranchesOrProjectsAreAcknowledgedAndIgnored() {
        String before = api.get("/api/v1/repos/hooked").body();
        String feature = HOOKED.commitOn("feature", "work in progress");
        Map<String, String> headers = Map.of("X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", GITLAB_SECRET);

        Response otherBranch = post("/hooks/gitlab", headers,
                gitlabPush("schemas/hooked", "refs/heads/feature", feature));
        Response otherProject = post("/hooks/gitlab", headers,
                gitlabPush("schemas/unknown", "refs/heads/main", feature));

        assertThat(otherBranch.status()).isEqualTo(200);
        assertThat(otherBranch.body()).contains("ignored");
        assertThat(otherProject.status()).isEqualTo(200);
        assertThat(api.get("/api/v1/repos/hooked").body()).isEqualTo(before);
    }

    @Test
    void gerritRefUpdatedSetsTheTarget() {
        String commit = HOOKED.commit("change I123 merged");
        String event = """
                {"type": "ref-updated", "submitter": {"username": "reviewer"},
                 "refUpdate": {"project": "schemas/hooked", "refName": "refs/heads/main", "newRev": "%s"}}
                """.formatted(commit);
        Response response = post("/hooks/gerrit", Map.of("X-Lockstep-Token", GERRIT_SECRET), event);

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode repo = api.get("/api/v1/repos/hooked").json();
        assertThat(repo.path("target").asString()).isEqualTo(commit);
        assertThat(repo.path("rollout").path("createdBy").asString()).isEqualTo("gerrit-webhook");
    }

    @Test
    void branchWatcherTargetsEachNewTipButNeverOneThatWasWithdrawn() {
        String first = WATCHED.commit("first");
        awaitTarget(first);
        assertThat(api.get("/api/v1/repos/watched").json().path("rollout").path("createdBy").asString())
                .isEqualTo("branch-watcher");

        String second = WATCHED.commit("second");
        awaitTarget(second);
        assertThat(api.post("/api/v1/repos/watched/cancel", Tokens.OPERATOR, Map.of("reason", "bad commit"))
                .status()).isEqualTo(200);

        // Several watch intervals later the cancelled tip is still not targeted again.
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> api.get("/api/v1/repos/watched").json().path("target").isNull());

        String third = WATCHED.commit("fixed");
        awaitTarget(third);
    }

    private void awaitTarget(String commit) {
        Awaitility.await("target " + commit).atMost(Duration.ofSeconds(20))
                .until(() -> commit.equals(api.get("/api/v1/repos/watched").json().path("target").asString()));
    }

    private static String gitlabPush(String project, String ref, String after) {
        return """
                {"object_kind": "push", "ref": "%s", "after": "%s", "user_username": "jdoe",
                 "project": {"path_with_namespace": "%s"}, "commits": []}
                """.formatted(ref, after, project);
    }

    private Response post(String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = api.request(path, null).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return api.send(request);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("lockstep-hooks-it-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

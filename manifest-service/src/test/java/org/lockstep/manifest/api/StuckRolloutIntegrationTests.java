package org.lockstep.manifest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstep.testing.manifest.Problem.assertProblem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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

/**
 * Rollouts that say why they are stuck, over HTTP: the hosts that block one ({@code blockedBy}, from what the agents
 * report, and counted by permanence in {@code lockstep_rollout_blocked_hosts}), the operator's retry and the
 * generation agents see, the prepare deadline in the API, the metric and the page, and a long-poll an agent can
 * shorten to retry a transient failure on time.
 */
@SpringBootTest(classes = ManifestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StuckRolloutIntegrationTests {

    private static final Path ROOT = tempDir();

    private static final GitRepo STUCK = GitRepo.init(ROOT.resolve("stuck"));

    private static final GitRepo LATE = GitRepo.init(ROOT.resolve("late"));

    private static final List<String> HOSTS = List.of("h1", "h2");

    @LocalServerPort
    private int port;

    private ManifestApi api;

    @DynamicPropertySource
    static void configuration(DynamicPropertyRegistry registry) {
        ManifestConfig.create(ROOT.resolve("data")).pollTimeout("30s")
                .repo("stuck", STUCK.url(), HOSTS)
                .repo("late", LATE.url(), HOSTS)
                .repoProperty("late", "prepare-deadline", "2s")
                .standardTokens(List.of("stuck", "late"), HOSTS)
                .properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @BeforeEach
    void client() {
        api = ManifestApi.onPort(port);
    }

    @Test
    void aPermanentHostErrorBlocksTheRolloutUntilAnOperatorRetriesAndTheHostPrepares() {
        String commit = STUCK.commit("add 1.2.0");
        long id = target("stuck", commit);
        report("h1", prepared("stuck", commit));
        Instant since = Instant.parse("2026-11-26T12:46:44Z");
        report("h2", entry("stuck", null, "VerifyFailed: verify-command exited with 1: libxml2 missing", commit,
                true, since.toString()));

        JsonNode stuck = api.get("/api/v1/rollouts/" + id).json();
        assertThat(stuck.path("state").asString()).isEqualTo("PREPARING");
        assertThat(stuck.path("waitingFor").toString()).isEqualTo("[\"h2\"]");
        JsonNode blocked = stuck.path("blockedBy");
        assertThat(blocked.size()).isEqualTo(1);
        assertThat(blocked.get(0).path("host").asString()).isEqualTo("h2");
        assertThat(blocked.get(0).path("commit").asString()).isEqualTo(commit);
        assertThat(blocked.get(0).path("error").asString()).contains("libxml2 missing");
        assertThat(blocked.get(0).path("permanent").asBoolean()).isTrue();
        assertThat(blocked.get(0).path("since").asString()).isEqualTo(since.toString());
        assertBlockedHosts("stuck", 1, 0);
        JsonNode host = hostView("stuck", "h2");
        assertThat(host.path("permanent").asBoolean()).isTrue();
        assertThat(host.path("errorSince").asString()).isEqualTo(since.toString());

        JsonNode before = desired("h2", "stuck");
        assertThat(before.path("retry").asLong()).isZero();
        long revision = api.get("/api/v1/agents/h2/desired?since=0", Tokens.agent("h2")).json().path("revision")
                .asLong();

        assertThat(api.post("/api/v1/repos/stuck/retry", Tokens.CI, Map.of("reason", "x")).status()).isEqualTo(403);
        assertProblem(api.post("/api/v1/repos/stuck/retry", Tokens.OPERATOR, Map.of("reason", "x", "rollout", id + 1)),
                409, "nothing-to-retry");
        Response retried = api.post("/api/v1/repos/stuck/retry", Tokens.OPERATOR,
                Map.of("reason", "libxml2 installed on h2", "rollout", id));

        assertThat(retried.status()).as("%s", retried).isEqualTo(200);
        assertThat(retried.json().path("id").asLong()).isEqualTo(id);
        assertThat(retried.json().path("retries").asLong()).isEqualTo(1);
        JsonNode last = retried.json().path("events").get(retried.json().path("events").size() - 1);
        assertThat(last.path("action").asString()).isEqualTo("RETRIED");
        assertThat(last.path("actor").asString()).isEqualTo("alice");
        assertThat(last.path("reason").asString()).isEqualTo("libxml2 installed on h2");
        JsonNode after = api.get("/api/v1/agents/h2/desired?since=" + revision, Tokens.agent("h2")).json();
        assertThat(after.path("revision").asLong()).as("agents are told at once").isGreaterThan(revision);
        assertThat(desired("h2", "stuck").path("retry").asLong()).isEqualTo(1);
        JsonNode retrying = api.get("/api/v1/rollouts/" + id).json();
        assertThat(retrying.path("state").asString()).as("a retry activates nothing").isEqualTo("PREPARING");
        assertThat(retrying.path("blockedBy").get(0).path("permanent").asBoolean())
                .as("h2's error is from before the retry: it is trying again").isFalse();
        assertBlockedHosts("stuck", 0, 1);

        report("h2", prepared("stuck", commit));

        JsonNode activated = api.get("/api/v1/rollouts/" + id).json();
        assertThat(activated.path("state").asString()).isEqualTo("ACTIVATING");
        assertThat(activated.path("blockedBy").size()).isZero();
        assertBlockedHosts("stuck", 0, 0);
        assertProblem(api.post("/api/v1/repos/stuck/retry", Tokens.OPERATOR, Map.of("reason", "again")), 409,
                "nothing-to-retry");
    }

    @Test
    void aRolloutPastItsPrepareDeadlineIsReportedOverdueAndStillWaitsForEveryHost() {
        String commit = LATE.commit("add 2.0.0");
        long id = target("late", commit);
        JsonNode fresh = api.get("/api/v1/rollouts/" + id).json();
        assertThat(fresh.path("overdue").asBoolean()).isFalse();
        assertThat(Instant.parse(fresh.path("deadline").asString()))
                .isEqualTo(Instant.parse(fresh.path("createdAt").asString()).plusSeconds(2));
        report("h1", prepared("late", commit));

        Awaitility.await("overdue").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/api/v1/repos/late").json().path("rollout").path("overdue").asBoolean());

        assertThat(api.get("/api/v1/repos/late").json().path("rollout").path("state").asString())
                .isEqualTo("PREPARING");
        assertThat(api.get("/actuator/prometheus").body()).contains("lockstep_rollout_overdue{repo=\"late\"} 1.0")
                .contains("lockstep_rollout_overdue{repo=\"stuck\"} 0.0");
        assertThat(api.get("/fragments/repos").body()).contains("Overdue");

        report("h2", prepared("late", commit));

        JsonNode activated = api.get("/api/v1/rollouts/" + id).json();
        assertThat(activated.path("state").asString()).isEqualTo("ACTIVATING");
        assertThat(activated.path("overdue").asBoolean()).isFalse();
        assertThat(api.get("/actuator/prometheus").body()).contains("lockstep_rollout_overdue{repo=\"late\"} 0.0");
    }

    @Test
    void aLongPollAskedToWaitLessIsAnsweredByThenWithTheSameRevision() {
        long revision = api.get("/api/v1/agents/h1/desired?since=0", Tokens.agent("h1")).json().path("revision")
                .asLong();
        long started = System.nanoTime();

        Response held = api.get("/api/v1/agents/h1/desired?since=" + revision + "&wait=1", Tokens.agent("h1"));

        assertThat(held.status()).isEqualTo(200);
        assertThat(held.json().path("revision").asLong()).isEqualTo(revision);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not the 30 s poll-timeout")
                .isLessThan(Duration.ofSeconds(15));
        Response negative = api.get("/api/v1/agents/h1/desired?since=0&wait=-1", Tokens.agent("h1"));
        assertProblem(negative, 400, "invalid-input");
        assertThat(negative.json().path("field").asString()).isEqualTo("wait");
    }

    /** {@code lockstep_rollout_blocked_hosts} counts the rollout view's {@code blockedBy}, by permanence. */
    private void assertBlockedHosts(String repo, int permanent, int other) {
        assertThat(api.get("/actuator/prometheus").body())
                .contains("lockstep_rollout_blocked_hosts{permanent=\"true\",repo=\"" + repo + "\"} " + permanent
                        + ".0")
                .contains("lockstep_rollout_blocked_hosts{permanent=\"false\",repo=\"" + repo + "\"} " + other
                        + ".0");
    }

    private long target(String repo, String commit) {
        Response response = api.put("/api/v1/repos/" + repo + "/target", Tokens.CI,
                Map.of("commit", commit, "reason", "pipeline 4711"));
        assertThat(response.status()).as("%s", response).isEqualTo(202);
        return response.json().path("id").asLong();
    }

    /** What a host reports for one repository: {@code next} prepared, or an error for {@code errorCommit}. */
    private static Map<String, Object> entry(String repo, String next, String error, String errorCommit,
                                             Boolean permanent, String errorSince) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("repo", repo);
        entry.put("next", next);
        entry.put("error", error);
        entry.put("errorCommit", errorCommit);
        entry.put("permanent", permanent);
        entry.put("errorSince", errorSince);
        return entry;
    }

    private static Map<String, Object> prepared(String repo, String commit) {
        return entry(repo, commit, null, null, null, null);
    }

    private void report(String host, Map<String, Object> entry) {
        Response response = api.post("/api/v1/agents/" + host + "/report", Tokens.agent(host),
                Map.of("sentAt", Instant.now().toString(), "revision", 0, "repos", List.of(entry)));
        assertThat(response.status()).as("%s", response).isEqualTo(200);
    }

    private JsonNode desired(String host, String repo) {
        for (JsonNode entry : api.get("/api/v1/agents/" + host + "/desired?since=0", Tokens.agent(host)).json()
                .path("repos")) {
            if (entry.path("repo").asString().equals(repo)) {
                return entry;
            }
        }
        throw new AssertionError("no desired state for " + repo);
    }

    private JsonNode hostView(String repo, String host) {
        for (JsonNode entry : api.get("/api/v1/repos/" + repo + "/hosts").json().path("items")) {
            if (entry.path("host").asString().equals(host)) {
                return entry;
            }
        }
        throw new AssertionError("no host " + host);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("lockstep-stuck-it-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

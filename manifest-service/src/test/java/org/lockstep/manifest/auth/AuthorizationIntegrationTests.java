package org.lockstep.manifest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstep.testing.manifest.Problem.assertProblem;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.manifest.testing.SharedManifest;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.Tokens;

/**
 * Invariant 7 over HTTP: reads are open, every write needs a token, and each role may do only its part. Works on
 * {@code roles} (ci may target it, host h3) and {@code other} (ci may not, host h4).
 */
class AuthorizationIntegrationTests extends SharedManifest {

    private static final String REPO = "roles";

    private static final String OTHER = "other";

    @Test
    void anonymousMayReadEverythingOpen() {
        long id = target(REPO, upstream(REPO).commit("something to read"));

        for (String path : List.of("/api/v1/repos", "/api/v1/repos/" + REPO, "/api/v1/repos/" + REPO + "/rollouts",
                "/api/v1/rollouts/" + id, "/actuator/health", "/actuator/prometheus")) {
            Response response = api.get(path);
            assertThat(response.status()).as("GET %s: %s", path, response).isEqualTo(200);
        }
    }

    @Test
    void anonymousWritesAreUnauthorized() {
        String commit = upstream(REPO).commit("anonymous");
        String before = repoJson(REPO);

        assertUnauthorized(setTarget(REPO, commit, null));
        for (String action : List.of("rollback", "pause", "resume", "cancel")) {
            assertUnauthorized(api.post("/api/v1/repos/" + REPO + "/" + action, null, Map.of("commit", commit)));
        }
        assertUnauthorized(api.post("/api/v1/agents/h3/report", null, report(REPO, null, commit)));
        assertUnauthorized(api.get("/api/v1/agents/h3/desired?since=0"));

        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer " + Tokens.UNKNOWN, "Bearer ", "Basic YWxpY2U6c2VjcmV0", Tokens.OPERATOR,
            "Bearer " + Tokens.OPERATOR + "x"})
    void unknownTokenIsUnauthorizedEvenForReads(String header) {
        String commit = upstream(REPO).commit("unknown token");
        String before = repoJson(REPO);

        Response write = api.send(api.request("/api/v1/repos/" + REPO + "/target", null)
                .header("Authorization", header).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"commit\": \"" + commit + "\"}")));
        Response read = api.send(api.request("/api/v1/repos/" + REPO, null).header("Authorization", header).GET());

        assertUnauthorized(write);
        assertUnauthorized(read);
        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @Test
    void bearerSchemeIsCaseInsensitive() {
        Response response = api.send(api.request("/api/v1/agents/h3/desired?since=-1", null)
                .header("Authorization", "bearer " + Tokens.agent("h3")).GET());

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void ciTokenSetsTargetsForItsRepositories() {
        String commit = upstream(REPO).commit("from ci");

        Response response = setTarget(REPO, commit, Tokens.CI);

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.json().path("createdBy").asString()).isEqualTo("ci-pipeline");
        assertThat(response.json().path("commit").asString()).isEqualTo(commit);
    }

    @Test
    void ciTokenCannotTargetRepositoriesNotListed() {
        String commit = upstream(OTHER).commit("not for ci");
        String before = repoJson(OTHER);

        assertProblem(setTarget(OTHER, commit, Tokens.CI), 403, "forbidden");

        assertThat(repoJson(OTHER)).isEqualTo(before);
    }

    @Test
    void ciTokenCannotRollBack() {
        String commit = upstream(REPO).commit("rollback by ci");
        String before = repoJson(REPO);

        assertProblem(api.put("/api/v1/repos/" + REPO + "/target", Tokens.CI,
                Map.of("commit", commit, "rollback", true)), 403, "forbidden");
        assertProblem(api.post("/api/v1/repos/" + REPO + "/rollback", Tokens.CI, Map.of("commit", commit)), 403,
                "forbidden");

        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @Test
    void ciTokenCannotPauseResumeOrCancel() {
        target(REPO, upstream(REPO).commit("pending for ci"));
        String before = repoJson(REPO);

        for (String action : List.of("pause", "resume", "cancel")) {
            assertProblem(api.post("/api/v1/repos/" + REPO + "/" + action, Tokens.CI, Map.of("reason", "ci")), 403,
                    "forbidden");
        }

        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @Test
    void onlyAgentTokensReportOrPoll() {
        String commit = upstream(REPO).commit("reported by a non-agent");
        String before = repoJson(REPO);

        for (String token : List.of(Tokens.CI, Tokens.OPERATOR)) {
            assertProblem(api.post("/api/v1/agents/h3/report", token, report(REPO, null, commit)), 403, "forbidden");
            assertProblem(api.get("/api/v1/agents/h3/desired?since=0", token), 403, "forbidden");
        }

        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @Test
    void agentTokenSpeaksForItsOwnHostOnly() {
        String commit = upstream(REPO).commit("reported for another host");
        String before = repoJson(REPO);

        assertProblem(api.post("/api/v1/agents/h3/report", Tokens.agent("h4"), report(REPO, null, commit)), 403,
                "forbidden");
        assertProblem(api.get("/api/v1/agents/h3/desired?since=0", Tokens.agent("h4")), 403, "forbidden");
        assertThat(repoJson(REPO)).isEqualTo(before);

        Response own = api.post("/api/v1/agents/h3/report", Tokens.agent("h3"), report(REPO, null, commit));
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().path("repos").valueStream().map(r -> r.path("repo").asString()))
                .containsExactly("inputs", "roles");
        assertThat(api.get("/api/v1/agents/h3/desired?since=-1", Tokens.agent("h3")).status()).isEqualTo(200);
    }

    @Test
    void agentTokenCannotSetTargetsOrActAsOperator() {
        String commit = upstream(REPO).commit("from an agent");
        String before = repoJson(REPO);

        assertProblem(setTarget(REPO, commit, Tokens.agent("h3")), 403, "forbidden");
        for (String action : List.of("rollback", "pause", "resume", "cancel")) {
            assertProblem(api.post("/api/v1/repos/" + REPO + "/" + action, Tokens.agent("h3"),
                    Map.of("commit", commit)), 403, "forbidden");
        }

        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @Test
    void operatorMayDoEveryRepositoryAction() {
        String first = upstream(OTHER).commit("operator first");
        Response target = setTarget(OTHER, first, Tokens.OPERATOR);
        assertThat(target.status()).isEqualTo(202);
        assertThat(target.json().path("createdBy").asString()).isEqualTo("alice");

        Response pause = api.post("/api/v1/repos/" + OTHER + "/pause", Tokens.OPERATOR, Map.of("reason", "hold"));
        assertThat(pause.status()).isEqualTo(200);
        assertThat(pause.json().path("paused").asBoolean()).isTrue();

        Response resume = api.post("/api/v1/repos/" + OTHER + "/resume", Tokens.OPERATOR, null);
        assertThat(resume.status()).isEqualTo(200);
        assertThat(resume.json().path("paused").asBoolean()).isFalse();

        Response cancel = api.post("/api/v1/repos/" + OTHER + "/cancel", Tokens.OPERATOR, Map.of("reason", "no"));
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().path("state").asString()).isEqualTo("CANCELLED");

        Response rollback = api.post("/api/v1/repos/" + OTHER + "/rollback", Tokens.OPERATOR,
                Map.of("commit", first, "reason", "back"));
        assertThat(rollback.status()).isEqualTo(202);
        assertThat(rollback.json().path("rollback").asBoolean()).isTrue();
    }

    /** 404 before 403: whether a repository exists is no secret, but nobody gets further with an unknown one. */
    @Test
    void unknownRepositoryIsNotFoundForEveryRole() {
        String commit = upstream(REPO).commit("unknown repo");

        for (String token : List.of(Tokens.CI, Tokens.OPERATOR, Tokens.agent("h3"))) {
            assertProblem(setTarget("missing", commit, token), 404, "unknown-repository");
        }
    }

    private static void assertUnauthorized(Response response) {
        assertProblem(response, 401, "unauthorized");
    }
}

package org.lockstep.manifest.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstep.testing.manifest.Problem.assertProblem;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lockstep.manifest.testing.SharedManifest;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.Tokens;

import tools.jackson.databind.JsonNode;

/**
 * A host's reports are ordered by the agent's session and sequence, never by its clock (issue 10, item 2): a report
 * from a clock in 2100 once made the manifest drop every later report of that host, so the next rollout waited for
 * it forever.
 */
class ReportOrderingIntegrationTests extends SharedManifest {

    private static final String REPO = "ordering";

    private static final String HOST = "o1";

    private static final Instant YEAR_2100 = Instant.parse("2100-01-01T00:00:00Z");

    @Test
    void reportFromAClockFarAheadDoesNotHoldBackTheNextOne() {
        String commit = upstream(REPO).commit("after a clock ran ahead");
        target(REPO, commit);
        String session = "session-" + System.nanoTime();
        report(YEAR_2100, session, 1, null, null, commit).expect(200);

        report(Instant.now(), session, 2, null, commit, null).expect(200);

        JsonNode status = api.repo(REPO);
        assertThat(host(status).path("next").asString()).isEqualTo(commit);
        assertThat(status.path("active").asString()).as("the host's readiness counted").isEqualTo(commit);
    }

    @Test
    void lateReportOfTheSameSessionIsDroppedWhole() {
        String commit = upstream(REPO).commit("prepared, then a late report");
        target(REPO, commit);
        String session = "session-" + System.nanoTime();
        report(Instant.now(), session, 5, null, null, commit).expect(200);

        Response late = report(Instant.now(), session, 4, null, commit, null);
        Response repeated = report(Instant.now(), session, 5, null, commit, null);

        assertThat(late.status()).as("a stale report is answered, not refused").isEqualTo(200);
        assertThat(repeated.status()).isEqualTo(200);
        JsonNode status = api.repo(REPO);
        assertThat(host(status).path("preparing").asString()).isEqualTo(commit);
        assertThat(host(status).path("next").isNull()).isTrue();
        assertThat(status.path("target").asString()).isEqualTo(commit);

        report(Instant.now(), "restarted-" + session, 1, null, commit, null).expect(200);
        assertThat(api.active(REPO)).as("a restarted agent's first report counts").isEqualTo(commit);
    }

    @Test
    void sessionThatIsNotAShortTokenIsInvalidInput() {
        Response response = report(Instant.now(), "two words\n", 1, null, null, null);

        assertProblem(response, 400, "invalid-input");
        assertThat(response.json().path("field").asString()).isEqualTo("session");
    }

    private Response report(Instant sentAt, String session, long sequence, String current, String next,
                            String preparing) {
        Map<String, Object> repo = new LinkedHashMap<>();
        repo.put("repo", REPO);
        repo.put("current", current);
        repo.put("next", next);
        repo.put("preparing", preparing);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sentAt", sentAt.toString());
        body.put("revision", 0);
        body.put("repos", List.of(repo));
        body.put("session", session);
        body.put("sequence", sequence);
        return api.post("/api/v1/agents/" + HOST + "/report", Tokens.agent(HOST), body);
    }

    private JsonNode host(JsonNode status) {
        return api.get("/api/v1/repos/" + REPO + "/hosts").expect(200).json().path("items").path(0);
    }
}

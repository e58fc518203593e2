package org.lockstep.manifest.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstep.testing.manifest.Problem.assertProblem;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.manifest.testing.SharedManifest;
import org.lockstep.testing.manifest.Tokens;

import tools.jackson.databind.JsonNode;

/** Whole rollouts driven over HTTP the way CI, operators and two agents drive them. */
class RolloutOverHttpIntegrationTests extends SharedManifest {

    @Test
    void activatesOnlyWhenEveryHostIsReadyAndCompletesWhenAllSwitched() {
        String repo = "flow";
        String commit = upstream(repo).commit("schema 1.2.0");
        Instant before = Instant.now();

        Response created = api.put("/api/v1/repos/" + repo + "/target", Tokens.CI,
                Map.of("commit", commit, "reason", "pipeline 42"));
        assertThat(created.status()).isEqualTo(202);
        long id = created.json().path("id").asLong();
        assertThat(created.json().path("state").asString()).isEqualTo("PREPARING");
        assertThat(created.json().path("waitingFor").valueStream().map(JsonNode::asString))
                .containsExactly("h1", "h2");

        JsonNode desired = api.get("/api/v1/agents/h1/desired?since=0", Tokens.agent("h1")).json();
        assertThat(repoIn(desired, repo).path("target").asString()).isEqualTo(commit);
        assertThat(repoIn(desired, repo).path("active").isNull()).isTrue();
        assertThat(repoIn(desired, repo).path("rollout").asLong()).isEqualTo(id);

        Response first = report("h1", repo, null, commit);
        assertThat(first.status()).isEqualTo(200);
        assertThat(repoIn(first.json(), repo).path("active").isNull()).as("active after one of two").isTrue();
        JsonNode halfway = api.get("/api/v1/repos/" + repo).json();
        assertThat(halfway.path("active").isNull()).isTrue();
        assertThat(halfway.path("rollout").path("state").asString()).isEqualTo("PREPARING");
        assertThat(halfway.path("rollout").path("hostsPrepared").asInt()).isEqualTo(1);
        assertThat(halfway.path("rollout").path("waitingFor").valueStream().map(JsonNode::asString))
                .containsExactly("h2");

        Response second = report("h2", repo, null, commit);
        assertThat(repoIn(second.json(), repo).path("active").asString()).isEqualTo(commit);
        assertThat(repoIn(second.json(), repo).path("target").isNull()).isTrue();
        JsonNode activating = api.get("/api/v1/repos/" + repo).json();
        assertThat(activating.path("active").asString()).isEqualTo(commit);
        assertThat(activating.path("rollout").path("state").asString()).isEqualTo("ACTIVATING");
        assertThat(repoIn(api.get("/api/v1/agents/h1/desired?since=0", Tokens.agent("h1")).json(), repo)
                .path("active").asString()).isEqualTo(commit);

        report("h1", repo, commit, commit);
        assertThat(api.get("/api/v1/rollouts/" + id).json().path("state").asString()).isEqualTo("ACTIVATING");
        report("h2", repo, commit, commit);

        JsonNode rollout = api.get("/api/v1/rollouts/" + id).json();
        assertThat(rollout.path("state").asString()).isEqualTo("COMPLETE");
        assertThat(rollout.path("createdBy").asString()).isEqualTo("ci-pipeline");
        assertThat(rollout.path("reason").asString()).isEqualTo("pipeline 42");
        assertThat(Instant.parse(rollout.path("createdAt").asString())).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(rollout.path("hostsPrepared").asInt()).isEqualTo(2);
        assertThat(rollout.path("hostsSwitched").asInt()).isEqualTo(2);
        assertThat(rollout.path("waitingCount").asInt()).isZero();
        assertThat(rollout.path("events").valueStream().map(e -> e.path("action").asString()))
                .containsExactly("CREATED", "ACTIVATING", "COMPLETE");
        List<Instant> times = rollout.path("events").valueStream().map(e -> Instant.parse(e.path("at").asString()))
                .toList();
        assertThat(times).isSorted();
        assertThat(rollout.path("events").path(0).path("actor").asString()).isEqualTo("ci-pipeline");
        assertThat(rollout.path("events").path(1).path("actor").asString()).isEqualTo("system");
        assertThat(rollout.path("prepareSeconds").isNumber()).isTrue();

        JsonNode history = api.get("/api/v1/repos/" + repo + "/rollouts").json();
        assertThat(history.path("items").path(0).path("id").asLong()).isEqualTo(id);
        assertThat(history.path("items").path(0).path("createdBy").asString()).isEqualTo("ci-pipeline");
        JsonNode status = api.get("/api/v1/repos/" + repo).json();
        assertThat(status.path("hostCount").asInt()).isEqualTo(2);
        assertThat(status.path("serving").asInt()).as("no host lags").isEqualTo(2);
        assertThat(status.path("hostsByState").path("lagging").asInt()).isZero();
        assertThat(status.path("target").isNull()).isTrue();
    }

    @Test
    void newerTargetSupersedesThePendingOne() {
        String repo = "flow";
        long older = target(repo, upstream(repo).commit("1.3.0"));
        String newerCommit = upstream(repo).commit("1.3.1");
        long newer = target(repo, newerCommit);

        assertThat(newer).isGreaterThan(older);
        assertThat(api.get("/api/v1/rollouts/" + older).json().path("state").asString()).isEqualTo("SUPERSEDED");
        assertThat(api.get("/api/v1/repos/" + repo).json().path("target").asString()).isEqualTo(newerCommit);
    }

    @Test
    void pauseHoldsActivationAndResumeActivates() {
        String repo = "pausing";
        String commit = upstream(repo).commit("held back");
        Response paused = api.post("/api/v1/repos/" + repo + "/pause", Tokens.OPERATOR, Map.of("reason", "freeze"));
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().path("paused").asBoolean()).isTrue();
        long id = target(repo, commit);

        report("h1", repo, null, commit);
        report("h2", repo, null, commit);

        JsonNode held = api.get("/api/v1/repos/" + repo).json();
        assertThat(held.path("active").isNull()).isTrue();
        assertThat(held.path("rollout").path("state").asString()).isEqualTo("PREPARING");
        assertThat(held.path("rollout").path("hostsPrepared").asInt()).isEqualTo(2);
        assertThat(repoIn(api.get("/api/v1/agents/h2/desired?since=0", Tokens.agent("h2")).json(), repo)
                .path("active").isNull()).isTrue();

        Response resumed = api.post("/api/v1/repos/" + repo + "/resume", Tokens.OPERATOR, Map.of("reason", "go"));

        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.json().path("paused").asBoolean()).isFalse();
        assertThat(resumed.json().path("active").asString()).isEqualTo(commit);
        JsonNode rollout = api.get("/api/v1/rollouts/" + id).json();
        assertThat(rollout.path("state").asString()).isEqualTo("ACTIVATING");
        assertThat(rollout.path("events").valueStream().map(e -> e.path("action").asString()))
                .containsExactly("CREATED", "RESUMED", "ACTIVATING");
        assertThat(rollout.path("events").path(1).path("actor").asString()).isEqualTo("alice");
        assertThat(rollout.path("events").path(1).path("reason").asString()).isEqualTo("go");
    }

    @Test
    void cancelWithdrawsTheTarget() {
        String repo = "cancelling";
        String active = upstream(repo).commit("active");
        activate(repo, active);
        String commit = upstream(repo).commit("withdrawn");
        long id = target(repo, commit);

        Response cancelled = api.post("/api/v1/repos/" + repo + "/cancel", Tokens.OPERATOR,
                Map.of("reason", "broken schema", "rollout", id));

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().path("id").asLong()).isEqualTo(id);
        assertThat(cancelled.json().path("state").asString()).isEqualTo("CANCELLED");
        JsonNode status = api.get("/api/v1/repos/" + repo).json();
        assertThat(status.path("target").isNull()).isTrue();
        assertThat(status.path("active").asString()).isEqualTo(active);
        JsonNode desired = repoIn(api.get("/api/v1/agents/h1/desired?since=0", Tokens.agent("h1")).json(), repo);
        assertThat(desired.path("target").isNull()).isTrue();
        assertThat(desired.path("active").asString()).isEqualTo(active);
        JsonNode last = api.get("/api/v1/rollouts/" + id).json().path("events").path(1);
        assertThat(last.path("action").asString()).isEqualTo("CANCELLED");
        assertThat(last.path("actor").asString()).isEqualTo("alice");
        assertThat(last.path("reason").asString()).isEqualTo("broken schema");

        report("h1", repo, active, commit);
        assertThat(api.get("/api/v1/repos/" + repo).json().path("active").asString()).isEqualTo(active);
        assertProblem(api.post("/api/v1/repos/" + repo + "/cancel", Tokens.OPERATOR, null), 409, "nothing-to-cancel");
    }

    @Test
    void operatorRollsBackToAnOlderCommit() {
        String repo = "rollback";
        String good = upstream(repo).commit("good");
        String bad = upstream(repo).commit("bad");
        activate(repo, good);
        activate(repo, bad);
        assertProblem(setTarget(repo, good, Tokens.CI), 409, "not-a-descendant");

        Response rollback = api.post("/api/v1/repos/" + repo + "/rollback", Tokens.OPERATOR,
                Map.of("commit", good, "reason", "bad broke consumers"));

        assertThat(rollback.status()).isEqualTo(202);
        assertThat(rollback.json().path("rollback").asBoolean()).isTrue();
        assertThat(rollback.json().path("previous").asString()).isEqualTo(bad);
        assertThat(rollback.json().path("createdBy").asString()).isEqualTo("alice");
        report("h1", repo, bad, good);
        JsonNode status = api.get("/api/v1/repos/" + repo).json();
        assertThat(status.path("active").asString()).isEqualTo(good);
        report("h1", repo, good, good);
        assertThat(api.get("/api/v1/repos/" + repo).json().path("rollout").path("state").asString())
                .isEqualTo("COMPLETE");
    }

    @Test
    void operatorMayRollBackThroughTheTargetEndpoint() {
        String repo = "rollback";
        String older = upstream(repo).commit("older");
        String newer = upstream(repo).commit("newer");
        activate(repo, newer);

        Response response = api.put("/api/v1/repos/" + repo + "/target", Tokens.OPERATOR,
                Map.of("commit", older, "reason", "revert", "rollback", true));

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.json().path("rollback").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/repos/" + repo).json().path("target").asString()).isEqualTo(older);
    }

    @Test
    void historyPagesNewestFirst() {
        String repo = "flow";
        long a = target(repo, upstream(repo).commit("page a"));
        long b = target(repo, upstream(repo).commit("page b"));
        long c = target(repo, upstream(repo).commit("page c"));

        JsonNode first = api.get("/api/v1/repos/" + repo + "/rollouts?page=0&size=2").json();
        JsonNode second = api.get("/api/v1/repos/" + repo + "/rollouts?page=1&size=2").json();

        assertThat(first.path("items").valueStream().map(r -> r.path("id").asLong())).containsExactly(c, b);
        assertThat(second.path("items").path(0).path("id").asLong()).isEqualTo(a);
        assertThat(first.path("page").asInt()).isZero();
        assertThat(first.path("size").asInt()).isEqualTo(2);
        assertThat(first.path("total").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(second.path("total").asLong()).isEqualTo(first.path("total").asLong());
    }

    private static JsonNode repoIn(JsonNode desired, String repo) {
        return desired.path("repos").valueStream().filter(r -> r.path("repo").asString().equals(repo)).findFirst()
                .orElseThrow(() -> new AssertionError(repo + " not in " + desired));
    }
}

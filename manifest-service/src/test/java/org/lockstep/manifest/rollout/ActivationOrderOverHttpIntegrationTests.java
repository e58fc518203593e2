package org.lockstep.manifest.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lockstep.manifest.testing.ManifestSetup;
import org.lockstep.manifest.testing.SharedManifest;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.Tokens;

import tools.jackson.databind.JsonNode;

/**
 * Issue 13's {@code activate-after} over HTTP, the way CI and two agents drive it: {@code secondary} (activated after
 * {@code primary}, both on hosts q1 and q2) is prepared on every host but activates only once every host serves the
 * {@code primary} commit that was pending when its target was set; the view says what it waits for meanwhile, and
 * every step is in the audit history.
 */
class ActivationOrderOverHttpIntegrationTests extends SharedManifest {

    private static final List<String> HOSTS = ManifestSetup.REPOS.get("secondary");

    @Test
    void secondaryReadyEverywhereActivatesOnlyOncePrimaryIsServedEverywhere() {
        String p1 = upstream("primary").commit("primary: schema 1.0.0");
        activate("primary", p1);
        String p2 = upstream("primary").commit("primary: schema 1.1.0");
        target("primary", p2);
        String before = active("secondary");
        String s1 = upstream("secondary").commit("secondary: $ref primary 1.1.0");

        Response created = setTarget("secondary", s1, Tokens.CI);
        assertThat(created.status()).isEqualTo(202);
        long id = created.json().path("id").asLong();
        assertWaitsFor(created.json(), p2, 0);

        HOSTS.forEach(host -> report(host, "secondary", before, s1));
        JsonNode ready = api.get("/api/v1/repos/secondary").json();
        assertThat(text(ready.path("active"))).isEqualTo(before);
        assertThat(ready.path("rollout").path("state").asString()).isEqualTo("PREPARING");
        assertThat(ready.path("rollout").path("hostsPrepared").asInt()).isEqualTo(2);
        assertThat(ready.path("rollout").path("waitingCount").asInt()).as("no host holds it back").isZero();
        assertWaitsFor(ready.path("rollout"), p2, 0);
        assertThat(actions(ready.path("rollout"))).containsExactly("CREATED", "WAITING");

        HOSTS.forEach(host -> report(host, "primary", p1, p2));
        assertThat(active("primary")).isEqualTo(p2);
        report("q1", "primary", p2, p2);
        assertWaitsFor(api.get("/api/v1/rollouts/" + id).json(), p2, 1);
        assertThat(active("secondary")).isEqualTo(before);
        assertThat(api.get("/").body()).contains("primary " + p2.substring(0, 8) + " on 1 of 2 hosts");

        // The last primary host's report activates secondary, and its answer already says so.
        Response last = report("q2", "primary", p2, p2);
        assertThat(repoIn(last.json(), "secondary").path("active").asString()).isEqualTo(s1);
        JsonNode activated = api.get("/api/v1/rollouts/" + id).json();
        assertThat(activated.path("state").asString()).isEqualTo("ACTIVATING");
        assertThat(activated.path("waitsFor").isArray()).isTrue();
        assertThat(activated.path("waitsFor").isEmpty()).isTrue();
        assertThat(actions(activated)).containsExactly("CREATED", "WAITING", "REQUIREMENT_MET", "ACTIVATING");
        JsonNode met = activated.path("events").path(2);
        assertThat(met.path("actor").asString()).isEqualTo("system");
        assertThat(met.path("reason").asString())
                .isEqualTo("primary " + p2 + " is served by every expected host of primary (2 of 2)");
        Instant primaryComplete = completedAt(api.get("/api/v1/repos/primary").json().path("rollout"));
        assertThat(Instant.parse(activated.path("events").path(3).path("at").asString()))
                .isAfterOrEqualTo(primaryComplete);

        HOSTS.forEach(host -> report(host, "secondary", s1, s1));
        JsonNode history = api.get("/api/v1/repos/secondary/rollouts").json().path("items").path(0);
        assertThat(history.path("id").asLong()).isEqualTo(id);
        assertThat(actions(history)).containsExactly("CREATED", "WAITING", "REQUIREMENT_MET", "ACTIVATING",
                "COMPLETE");
    }

    @Test
    void secondaryTargetedBeforePrimarysTargetIsNotHeldByIt() {
        String p1 = upstream("primary").commit("primary: schema 2.0.0");
        activate("primary", p1);
        String before = active("secondary");
        String s1 = upstream("secondary").commit("secondary: $ref primary 2.0.0");

        Response created = setTarget("secondary", s1, Tokens.CI);
        assertThat(created.json().path("waitsFor").isEmpty()).isTrue();
        assertThat(actions(created.json())).containsExactly("CREATED", "REQUIREMENT_MET");
        String p2 = upstream("primary").commit("primary: schema 2.1.0");
        target("primary", p2);

        HOSTS.forEach(host -> report(host, "secondary", before, s1));
        assertThat(active("secondary")).as("primary's later target does not hold it").isEqualTo(s1);
        assertThat(api.get("/api/v1/repos/primary").json().path("rollout").path("state").asString())
                .isEqualTo("PREPARING");
        HOSTS.forEach(host -> report(host, "secondary", s1, s1));
        HOSTS.forEach(host -> report(host, "primary", p1, p2));
        HOSTS.forEach(host -> report(host, "primary", p2, p2));
    }

    @Test
    void aWebhookTargetRecordsTheRequirementToo() {
        String p1 = upstream("primary").commit("primary: schema 3.0.0");
        activate("primary", p1);
        String p2 = upstream("primary").commit("primary: schema 3.1.0");
        target("primary", p2);
        String before = active("secondary");
        String s1 = upstream("secondary").commit("secondary: $ref primary 3.1.0");

        Response hook = api.send(api.request("/hooks/gitlab", null).header("Content-Type", "application/json")
                .header("X-Gitlab-Event", "Push Hook").header("X-Gitlab-Token", ManifestSetup.GITLAB_SECRET)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"object_kind": "push", "ref": "refs/heads/main", "after": "%s", "user_username": "jdoe",
                         "project": {"path_with_namespace": "schemas/secondary"}, "commits": []}
                        """.formatted(s1))));
        assertThat(hook.status()).as("%s", hook).isBetween(200, 299);
        JsonNode rollout = api.get("/api/v1/repos/secondary").json().path("rollout");
        assertThat(rollout.path("commit").asString()).isEqualTo(s1);
        assertThat(rollout.path("createdBy").asString()).isEqualTo("gitlab-webhook");
        assertWaitsFor(rollout, p2, 0);

        HOSTS.forEach(host -> report(host, "secondary", before, s1));
        HOSTS.forEach(host -> report(host, "primary", p1, p2));
        HOSTS.forEach(host -> report(host, "primary", p2, p2));
        assertThat(active("secondary")).isEqualTo(s1);
        HOSTS.forEach(host -> report(host, "secondary", s1, s1));
    }

    /** Every test leaves both repositories with nothing pending, so the next starts from a quiet state. */
    @AfterEach
    void nothingPending() {
        assertThat(api.get("/api/v1/repos/primary").json().path("target").isNull()).isTrue();
        assertThat(api.get("/api/v1/repos/secondary").json().path("target").isNull()).isTrue();
    }

    private void assertWaitsFor(JsonNode rollout, String commit, int serving) {
        assertThat(rollout.path("waitsFor").valueStream().toList()).as("%s", rollout).singleElement()
                .satisfies(wait -> {
                    assertThat(wait.path("repo").asString()).isEqualTo("primary");
                    assertThat(wait.path("commit").asString()).isEqualTo(commit);
                    assertThat(wait.path("hostsServing").asInt()).isEqualTo(serving);
                    assertThat(wait.path("hostsExpected").asInt()).isEqualTo(2);
                });
    }

    private String active(String repo) {
        return text(api.get("/api/v1/repos/" + repo).json().path("active"));
    }

    private static String text(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? null : node.asString();
    }

    private static List<String> actions(JsonNode rollout) {
        return rollout.path("events").valueStream().map(e -> e.path("action").asString()).toList();
    }

    private static Instant completedAt(JsonNode rollout) {
        return rollout.path("events").valueStream().filter(e -> e.path("action").asString().equals("COMPLETE"))
                .map(e -> Instant.parse(e.path("at").asString())).findFirst().orElseThrow();
    }

    private static JsonNode repoIn(JsonNode desired, String repo) {
        return desired.path("repos").valueStream().filter(r -> r.path("repo").asString().equals(repo)).findFirst()
                .orElseThrow(() -> new AssertionError(repo + " not in " + desired));
    }
}

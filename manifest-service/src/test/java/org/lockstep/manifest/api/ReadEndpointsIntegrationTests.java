package org.lockstep.manifest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstep.testing.manifest.Problem.assertProblem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.manifest.testing.ManifestSetup;
import org.lockstep.manifest.testing.SharedManifest;
import org.lockstep.testing.manifest.ManifestApi.Response;

import tools.jackson.databind.JsonNode;

/** The open reads: repositories, one repository, its history, one rollout, health and metrics. */
class ReadEndpointsIntegrationTests extends SharedManifest {

    @Test
    void listsEveryConfiguredRepositoryByName() {
        Response response = api.get("/api/v1/repos");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        java.util.SortedSet<String> configured = new java.util.TreeSet<>(ManifestSetup.REPOS.keySet());
        configured.add(ManifestSetup.UNREACHABLE);
        assertThat(response.json().valueStream().map(r -> r.path("name").asString()))
                .containsExactlyElementsOf(configured);
    }

    @Test
    void showsOneRepositoryWithItsHostsAndRecentRollouts() {
        String commit = upstream("other").commit("shown");
        long id = target("other", commit);

        JsonNode repo = api.get("/api/v1/repos/other").json();

        assertThat(repo.path("name").asString()).isEqualTo("other");
        assertThat(repo.path("url").asString()).isEqualTo(upstream("other").url());
        assertThat(repo.path("branch").asString()).isEqualTo("main");
        assertThat(repo.path("target").asString()).isEqualTo(commit);
        assertThat(repo.path("hostCount").asInt()).isEqualTo(1);
        assertThat(repo.path("hostsByState").propertyNames()).containsExactly("unseen", "failing", "lagging",
                "preparing", "prepared", "serving");
        assertThat(repo.path("attention").isArray()).isTrue();
        assertThat(repo.path("hosts").size()).as("a small fleet's view lists every host").isEqualTo(1);
        assertThat(repo.path("expectedHosts").path(0).asString()).isEqualTo(repo.path("hosts").path(0).path("host")
                .asString());
        assertThat(repo.path("rollout").path("id").asLong()).isEqualTo(id);
        assertThat(repo.path("recentRollouts").path(0).path("id").asLong()).isEqualTo(id);
        assertThat(repo.path("recentRollouts").size()).isLessThanOrEqualTo(5);
        assertThat(repo.path("revision").asLong()).isPositive();
    }

    @Test
    void pagesTheHostsOfARepositoryByStateAndName() {
        String commit = upstream("other").commit("hosts paged");
        long id = target("other", commit);
        report("h4", "other", null, commit).expect(200);

        JsonNode all = api.get("/api/v1/repos/other/hosts").expect(200).json();
        JsonNode lagging = api.get("/api/v1/repos/other/hosts?state=lagging&page=0&size=10").expect(200).json();
        JsonNode serving = api.get("/api/v1/repos/other/hosts?state=serving").expect(200).json();
        JsonNode beyond = api.get("/api/v1/repos/other/hosts?page=1&size=1").expect(200).json();

        assertThat(all.path("total").asLong()).isEqualTo(1);
        JsonNode h4 = all.path("items").path(0);
        assertThat(h4.path("host").asString()).isEqualTo("h4");
        assertThat(h4.path("next").asString()).isEqualTo(commit);
        assertThat(h4.path("state").asString()).as("its report activated the commit it does not serve yet")
                .isEqualTo("lagging");
        assertThat(h4.path("prepared").path("rollout").asLong()).as("who prepared the rollout").isEqualTo(id);
        assertThat(h4.path("switched").isNull()).isTrue();
        assertThat(lagging.path("items").path(0).path("host").asString()).isEqualTo("h4");
        assertThat(lagging.path("size").asInt()).isEqualTo(10);
        assertThat(serving.path("total").asLong()).isZero();
        assertThat(beyond.path("items").size()).isZero();
        assertThat(beyond.path("total").asLong()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"state=asleep:state", "page=-1:page", "size=0:size", "size=501:size"})
    void badHostsQueryNamesTheField(String queryAndField) {
        String[] parts = queryAndField.split(":");
        Response response = api.get("/api/v1/repos/other/hosts?" + parts[0]);
        assertProblem(response, 400, "invalid-input");
        assertThat(response.json().path("field").asString()).isEqualTo(parts[1]);
    }

    @Test
    void showsOneRolloutById() {
        String commit = upstream("other").commit("by id");
        long id = target("other", commit);

        JsonNode rollout = api.get("/api/v1/rollouts/" + id).json();

        assertThat(rollout.path("id").asLong()).isEqualTo(id);
        assertThat(rollout.path("repo").asString()).isEqualTo("other");
        assertThat(rollout.path("commit").asString()).isEqualTo(commit);
        assertThat(rollout.path("createdBy").asString()).isEqualTo("alice");
        assertThat(rollout.path("hostsExpected").asInt()).isEqualTo(1);
    }

    @Test
    void unknownRolloutIsNotFound() {
        assertProblem(api.get("/api/v1/rollouts/987654321"), 404, "unknown-rollout");
        assertProblem(api.get("/api/v1/rollouts/not-a-number"), 400, "invalid-input");
    }

    @ParameterizedTest
    @ValueSource(strings = {"size=0", "size=101", "size=-1", "page=-1", "size=abc", "page=x", "size=2147483648"})
    void badPageOrSizeIsInvalidInput(String query) {
        assertProblem(api.get("/api/v1/repos/other/rollouts?" + query), 400, "invalid-input");
    }

    @ParameterizedTest
    @ValueSource(strings = {"size=0:size", "size=101:size", "page=-1:page"})
    void outOfRangePageOrSizeNamesTheField(String queryAndField) {
        String[] parts = queryAndField.split(":");
        JsonNode problem = api.get("/api/v1/repos/other/rollouts?" + parts[0]).json();

        assertThat(problem.path("field").asString()).isEqualTo(parts[1]);
    }

    @Test
    void pageBeyondTheHistoryIsEmpty() {
        JsonNode page = api.get("/api/v1/repos/other/rollouts?page=1000&size=100").json();

        assertThat(page.path("items").size()).isZero();
        assertThat(page.path("page").asInt()).isEqualTo(1000);
    }

    @Test
    void healthIsUp() {
        Response health = api.get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("UP");
        assertThat(health.json().path("components").path("store").path("details").path("store").asString())
                .isEqualTo("embedded");
        assertThat(api.get("/actuator/health/readiness").json().path("status").asString()).isEqualTo("UP");
        assertThat(api.get("/actuator/health/liveness").json().path("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusShowsRolloutMetrics() {
        target("other", upstream("other").commit("for metrics"));

        Response metrics = api.get("/actuator/prometheus");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.body()).contains("lockstep_repo_rollout_state{repo=\"other\",state=\"PREPARING\"} 1.0")
                .contains("lockstep_rollout_hosts_expected{repo=\"other\"} 1.0")
                .contains("lockstep_rollout_transitions_total")
                .contains("lockstep_rollout_prepare_seconds");
    }
}

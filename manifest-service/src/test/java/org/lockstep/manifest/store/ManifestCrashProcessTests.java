package org.lockstep.manifest.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.ManifestConfig;
import org.lockstep.testing.manifest.ManifestProcess;
import org.lockstep.testing.manifest.Tokens;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Invariant 4 with the real jar: a target acknowledged with 2xx survives {@code kill -9} and a restart on the same
 * data-dir. Runs with failsafe, after {@code package} has built {@code target/manifest-service.jar}.
 */
class ManifestCrashProcessTests {

    @TempDir
    Path temp;

    private ManifestProcess manifest;

    @AfterEach
    void stopEverything() {
        if (manifest != null) {
            manifest.close();
        }
    }

    @Test
    void acknowledgedTargetSurvivesKillDashNine() {
        GitRepo upstream = GitRepo.init(temp.resolve("upstream"));
        upstream.commit("initial");
        String first = upstream.commit("first target");
        String second = upstream.commit("second target");
        manifest = new ManifestProcess(temp.resolve("manifest"), ManifestConfig.create(temp.resolve("data"))
                .pollTimeout("2s").repo("primary", upstream.url(), List.of("h1", "h2"))
                .ciToken("ci-pipeline", Tokens.CI, List.of("primary")).agentToken("h1", Tokens.agent("h1")));
        ManifestApi api = manifest.api();

        manifest.start();
        Response created = api.put("/api/v1/repos/primary/target", Tokens.CI,
                Map.of("commit", first, "reason", "before the crash"));
        assertThat(created.status()).as("%s", created).isEqualTo(202);
        Response superseding = api.put("/api/v1/repos/primary/target", Tokens.CI,
                Map.of("commit", second, "reason", "acknowledged just before kill -9"));
        assertThat(superseding.status()).as("%s", superseding).isEqualTo(202);
        JsonNode repoBefore = api.get("/api/v1/repos/primary").json();
        JsonNode historyBefore = api.get("/api/v1/repos/primary/rollouts").json();
        JsonNode desiredBefore = api.get("/api/v1/agents/h1/desired?since=-1", Tokens.agent("h1")).json();

        // SIGKILL: no shutdown hook, no store close
        assertThat(manifest.kill()).isEqualTo(137);

        manifest.start();
        JsonNode repoAfter = api.get("/api/v1/repos/primary").json();
        JsonNode historyAfter = api.get("/api/v1/repos/primary/rollouts").json();
        JsonNode desiredAfter = api.get("/api/v1/agents/h1/desired?since=-1", Tokens.agent("h1")).json();

        assertThat(repoAfter.path("target").asString()).isEqualTo(second);
        assertThat(without(repoAfter)).isEqualTo(without(repoBefore));
        assertThat(historyAfter.path("total").asLong()).isEqualTo(2);
        assertThat(historyAfter.path("items").size()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            JsonNode before = historyBefore.path("items").path(i);
            JsonNode after = historyAfter.path("items").path(i);
            for (String field : List.of("id", "commit", "state", "createdBy", "reason", "createdAt", "events")) {
                assertThat(after.path(field)).as("%s of rollout %d", field, i).isEqualTo(before.path(field));
            }
        }
        assertThat(historyAfter.path("items").path(0).path("state").asString()).isEqualTo("PREPARING");
        assertThat(historyAfter.path("items").path(1).path("state").asString()).isEqualTo("SUPERSEDED");
        assertThat(desiredAfter.path("storeId").asString()).isEqualTo(desiredBefore.path("storeId").asString())
                .isNotBlank();
        assertThat(desiredAfter.path("revision").asLong()).isEqualTo(desiredBefore.path("revision").asLong());
        assertThat(desiredAfter.path("repos")).isEqualTo(desiredBefore.path("repos"));
    }

    /**
     * Reports acknowledged while others share their sync (group commit) are on disk when acknowledged: 24 hosts
     * report from 8 threads, the manifest is killed the moment the last answer arrives, and after the restart every
     * acknowledged report is there, and the activation the last one made.
     */
    @Test
    void acknowledgedPreparedReportsSurviveKillDashNine() throws Exception {
        GitRepo upstream = GitRepo.init(temp.resolve("upstream"));
        upstream.commit("initial");
        String commit = upstream.commit("the target");
        List<String> hosts = IntStream.range(0, 24).mapToObj(i -> "h" + i).toList();
        ManifestConfig config = ManifestConfig.create(temp.resolve("data")).pollTimeout("2s")
                .repo("primary", upstream.url(), hosts).ciToken("ci-pipeline", Tokens.CI, List.of("primary"));
        hosts.forEach(host -> config.agentToken(host, Tokens.agent(host)));
        manifest = new ManifestProcess(temp.resolve("manifest"), config);
        ManifestApi api = manifest.api();
        manifest.start();
        api.setTarget(Tokens.CI, "primary", commit, "before the crash").expect(202);

        ExecutorService agents = Executors.newFixedThreadPool(8);
        List<Future<Response>> reports = new ArrayList<>();
        try {
            for (String host : hosts) {
                reports.add(agents.submit(() -> api.report(host, Tokens.agent(host), Map.of("session", "s-" + host,
                        "sequence", 1, "repos", List.of(Map.of("repo", "primary", "next", commit))))));
            }
            for (Future<Response> report : reports) {
                assertThat(report.get().status()).isEqualTo(200);
            }
        }
        finally {
            agents.shutdownNow();
        }
        assertThat(manifest.kill()).isEqualTo(137);

        manifest.start();
        JsonNode repo = api.repo("primary");
        assertThat(repo.path("active").asString()).as("the activation the last report made").isEqualTo(commit);
        JsonNode page = api.get("/api/v1/repos/primary/hosts?size=100").expect(200).json();
        assertThat(page.path("items").valueStream().filter(h -> commit.equals(h.path("next").asString()))
                .map(h -> h.path("host").asString())).as("every acknowledged report")
                .containsExactlyInAnyOrderElementsOf(hosts);
    }

    /**
     * The status minus what is about this process rather than the store: when hosts were last heard from, and what
     * follows from it (which hosts are unseen, so need a look).
     */
    private static JsonNode without(JsonNode repo) {
        ObjectNode copy = (ObjectNode) repo.deepCopy();
        copy.remove(List.of("hostsByState", "attention", "attentionCount"));
        return copy;
    }
}

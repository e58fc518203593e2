package org.lockstep.manifest.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.ManifestConfig;
import org.lockstep.testing.manifest.ManifestProcess;
import org.lockstep.testing.manifest.Tokens;

import tools.jackson.databind.JsonNode;

/**
 * Report ordering across a restart of the real jar (issue 10, item 2): what orders a host's reports is durable with
 * its status (the session and sequence of the last report that changed something), and a clock far ahead survives
 * nothing. Runs with failsafe, after {@code package} has built {@code target/manifest-service.jar}.
 */
class ReportOrderingProcessTests {

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
    void reportFromAClockIn2100HoldsNothingBackAfterARestart() {
        GitRepo upstream = GitRepo.init(temp.resolve("upstream"));
        upstream.commit("initial");
        String commit = upstream.commit("the target");
        manifest = new ManifestProcess(temp.resolve("manifest"), ManifestConfig.create(temp.resolve("data"))
                .pollTimeout("2s").repo("primary", upstream.url(), List.of("h1"))
                .ciToken("ci-pipeline", Tokens.CI, List.of("primary")).agentToken("h1", Tokens.agent("h1")));
        ManifestApi api = manifest.api();
        manifest.start();
        api.setTarget(Tokens.CI, "primary", commit, "test").expect(202);
        report(api, Instant.parse("2100-01-01T00:00:00Z"), 1, null, commit).expect(200);

        assertThat(manifest.kill()).isEqualTo(137);
        manifest.start();

        report(api, Instant.now(), 1, commit, null).expect(200);
        assertThat(host(api).path("next").isNull())
                .as("a report numbered like the stored one is stale, also after a restart").isTrue();
        report(api, Instant.now(), 2, commit, null).expect(200);
        assertThat(host(api).path("next").asString()).isEqualTo(commit);
        assertThat(api.active("primary")).isEqualTo(commit);
    }

    private static JsonNode host(ManifestApi api) {
        return api.get("/api/v1/repos/primary/hosts").expect(200).json().path("items").path(0);
    }

    private static ManifestApi.Response report(ManifestApi api, Instant sentAt, long sequence, String next,
                                               String preparing) {
        Map<String, Object> repo = new LinkedHashMap<>();
        repo.put("repo", "primary");
        repo.put("next", next);
        repo.put("preparing", preparing);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sentAt", sentAt.toString());
        body.put("repos", List.of(repo));
        body.put("session", "the-agent-session");
        body.put("sequence", sequence);
        return api.report("h1", Tokens.agent("h1"), body);
    }
}

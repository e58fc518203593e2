package org.lockstep.manifest.testing;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.lockstep.manifest.ManifestApplication;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.Tokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the HTTP integration tests: the real application on a random port, configured with {@link ManifestSetup}.
 * Every subclass has the same configuration, so they all share one cached Spring context (and one store); each test
 * class uses repositories of its own.
 */
@SpringBootTest(classes = ManifestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class SharedManifest {

    protected static final ManifestSetup SETUP = ManifestSetup.get();

    @LocalServerPort
    protected int port;

    protected ManifestApi api;

    @DynamicPropertySource
    static void fleet(DynamicPropertyRegistry registry) {
        SETUP.register(registry, "data");
    }

    @BeforeEach
    void client() {
        api = ManifestApi.onPort(port);
    }

    protected static Path dataDir() {
        return SETUP.dataDir("data");
    }

    protected static GitRepo upstream(String repo) {
        return SETUP.upstream(repo);
    }

    protected Response setTarget(String repo, String commit, String token) {
        return api.put("/api/v1/repos/" + repo + "/target", token, Map.of("commit", commit, "reason", "test"));
    }

    /** Sets a target and expects 202; returns the rollout id. */
    protected long target(String repo, String commit) {
        Response response = setTarget(repo, commit, Tokens.OPERATOR);
        assertThat(response.status()).as("%s", response).isEqualTo(202);
        return response.json().path("id").asLong();
    }

    /** {@code host} reports, for one repository, what {@code current} and {@code next} point at. */
    protected Response report(String host, String repo, String current, String next) {
        return api.post("/api/v1/agents/" + host + "/report", Tokens.agent(host), report(repo, current, next));
    }

    protected static Map<String, Object> report(String repo, String current, String next) {
        Map<String, Object> repoReport = new LinkedHashMap<>();
        repoReport.put("repo", repo);
        repoReport.put("current", current);
        repoReport.put("next", next);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sentAt", Instant.now().toString());
        body.put("revision", 0);
        body.put("repos", List.of(repoReport));
        return body;
    }

    /** Makes {@code commit} active and complete on every expected host of {@code repo}. */
    protected void activate(String repo, String commit) {
        target(repo, commit);
        List<String> hosts = new ArrayList<>(ManifestSetup.REPOS.get(repo));
        hosts.forEach(h -> assertThat(report(h, repo, null, commit).status()).isEqualTo(200));
        hosts.forEach(h -> assertThat(report(h, repo, commit, commit).status()).isEqualTo(200));
        Response status = api.get("/api/v1/repos/" + repo);
        assertThat(status.json().path("active").asString()).isEqualTo(commit);
        assertThat(status.json().path("rollout").path("state").asString()).isEqualTo("COMPLETE");
    }

    protected String repoJson(String repo) {
        Response response = api.get("/api/v1/repos/" + repo);
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }
}

package org.lockstep.manifest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.lockstep.manifest.ManifestApplication;
import org.lockstep.testing.Dirs;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.ManifestConfig;
import org.lockstep.testing.manifest.Tokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;

/**
 * Issue 11's fleet, over HTTP with real long-polls: 2,000 hosts each hold a poll, all report the target prepared,
 * and the last report's activation answers every held poll with the new revision and the active commit. Not timed:
 * the bounds only tell "answered by the change" from "never".
 */
@SpringBootTest(classes = ManifestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FleetActivationIntegrationTests {

    private static final int HOSTS = 2000;

    private static final Path ROOT = Dirs.worldReadableTempDir("lockstep-fleet-activation-");

    private static final GitRepo UPSTREAM = GitRepo.init(ROOT.resolve("upstream"));

    private static final List<String> FLEET = IntStream.range(0, HOSTS).mapToObj(i -> String.format("host%04d", i))
            .toList();

    @LocalServerPort
    int port;

    @Autowired
    DesiredStateWaiters waiters;

    @DynamicPropertySource
    static void fleet(DynamicPropertyRegistry registry) {
        UPSTREAM.commit("initial");
        ManifestConfig config = ManifestConfig.create(ROOT.resolve("data")).pollTimeout("10m")
                .repo("fleet", UPSTREAM.url(), FLEET).ciToken("ci-pipeline", Tokens.CI, List.of("fleet"));
        FLEET.forEach(host -> config.agentToken(host, Tokens.agent(host)));
        config.properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @AfterAll
    static void removeFiles() {
        Dirs.delete(ROOT);
    }

    @Test
    void activationOfTwoThousandHostsAnswersEveryHeldPoll() throws Exception {
        // Held polls must outlive the whole run on a loaded machine: neither the manifest nor the client times out.
        ManifestApi api = ManifestApi.onPort(port).withTimeout(Duration.ofMinutes(10));
        String commit = UPSTREAM.commit("for the whole fleet");
        api.setTarget(Tokens.CI, "fleet", commit, "fleet").expect(202);
        long revision = api.get("/api/v1/agents/host0000/desired?since=-1", Tokens.agent("host0000")).expect(200)
                .json().path("revision").asLong();
        List<CompletableFuture<Response>> polls = new ArrayList<>();
        for (String host : FLEET) {
            polls.add(api.getAsync("/api/v1/agents/" + host + "/desired?since=" + revision, Tokens.agent(host)));
        }
        await("every poll held").atMost(Duration.ofMinutes(5)).until(() -> waiters.waiting() == HOSTS);

        ExecutorService reporters = Executors.newFixedThreadPool(8);
        try {
            List<Future<Response>> reports = new ArrayList<>();
            for (String host : FLEET.subList(0, HOSTS - 1)) {
                reports.add(reporters.submit(() -> prepared(api, host, commit)));
            }
            for (Future<Response> report : reports) {
                assertThat(report.get().status()).isEqualTo(200);
            }
        }
        finally {
            reporters.shutdownNow();
        }
        assertThat(polls).as("nobody is answered before the last host is ready").noneMatch(CompletableFuture::isDone);
        assertThat(waiters.waiting()).isEqualTo(HOSTS);

        JsonNode last = prepared(api, FLEET.get(HOSTS - 1), commit).expect(200).json();

        assertThat(last.path("revision").asLong()).isGreaterThan(revision);
        assertThat(last.path("repos").path(0).path("active").asString()).as("the activating report's own answer")
                .isEqualTo(commit);
        CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        for (CompletableFuture<Response> poll : polls) {
            JsonNode answer = poll.join().expect(200).json();
            assertThat(answer.path("revision").asLong()).isEqualTo(last.path("revision").asLong());
            assertThat(answer.path("repos").path(0).path("active").asString()).isEqualTo(commit);
        }
        assertThat(waiters.waiting()).isZero();
        JsonNode view = api.get("/api/v1/repos/fleet").expect(200).json();
        assertThat(view.path("hostCount").asInt()).isEqualTo(HOSTS);
        assertThat(view.path("hosts").isNull()).as("2,000 hosts are paged, not listed in the view").isTrue();
        assertThat(view.path("expectedHosts").isNull()).isTrue();
    }

    private static Response prepared(ManifestApi api, String host, String commit) {
        return api.report(host, Tokens.agent(host), Map.of("sentAt", Instant.now().toString(), "session", "s-" + host,
                "sequence", 1, "repos", List.of(Map.of("repo", "fleet", "next", commit))));
    }
}

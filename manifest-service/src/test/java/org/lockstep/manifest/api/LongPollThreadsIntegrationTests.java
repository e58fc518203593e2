package org.lockstep.manifest.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockstep.manifest.ManifestApplication;
import org.lockstep.manifest.testing.ManifestSetup;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.Tokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With only 8 request threads, 50 waiting polls still leave the server free to answer other requests, and one change
 * answers them all: a waiting poll holds no thread. A context of its own (its own data-dir), since the pool size
 * differs.
 */
@SpringBootTest(classes = ManifestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.tomcat.threads.max=8", "server.tomcat.threads.min-spare=2"})
class LongPollThreadsIntegrationTests {

    private static final ManifestSetup SETUP = ManifestSetup.get();

    @LocalServerPort
    int port;

    private ManifestApi api;

    @DynamicPropertySource
    static void fleet(DynamicPropertyRegistry registry) {
        SETUP.register(registry, "data-threads", "20s");
    }

    @BeforeEach
    void client() {
        api = ManifestApi.onPort(port);
    }

    @Test
    void waitingPollsHoldNoRequestThread() throws Exception {
        long revision = api.get("/api/v1/agents/p1/desired?since=-1", Tokens.agent("p1")).json().path("revision")
                .asLong();
        List<CompletableFuture<Response>> polls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            polls.add(api.getAsync("/api/v1/agents/p1/desired?since=" + revision, Tokens.agent("p1")));
        }
        Thread.sleep(1000);
        assertThat(polls).noneMatch(CompletableFuture::isDone);

        for (int i = 0; i < 20; i++) {
            assertThat(api.get("/api/v1/repos/polls").status()).isEqualTo(200);
        }
        String commit = SETUP.upstream("polls").commit("wakes fifty");
        Response target = api.put("/api/v1/repos/polls/target", Tokens.CI, Map.of("commit", commit));
        assertThat(target.status()).isEqualTo(202);

        CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        for (CompletableFuture<Response> poll : polls) {
            assertThat(poll.join().json().path("repos").path(0).path("target").asString()).isEqualTo(commit);
        }
    }
}

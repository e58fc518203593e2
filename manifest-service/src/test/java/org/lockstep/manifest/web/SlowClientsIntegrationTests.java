package org.lockstep.manifest.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockstep.manifest.ManifestApplication;
import org.lockstep.manifest.testing.ManifestSetup;
import org.lockstep.testing.RawHttp;
import org.lockstep.testing.RawHttp.SlowBody;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.Tokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Slow-loris clients over real sockets: four times as many connections as the server has request threads, sending
 * webhook and sign-in bodies a byte every 200 ms, while a reader checks that the API, health, an agent's report and
 * a held long-poll keep answering. Webhook callers without the secret and sign-ins without the form's session are
 * refused before their body is read; sign-ins with a session are read a few at a time, each within the body read
 * timeout. A context of its own: 10 request threads, a 3 s body read timeout, 3 sign-ins at once.
 */
@SpringBootTest(classes = ManifestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.tomcat.threads.max=10", "server.tomcat.threads.min-spare=2",
                "lockstep.manifest.http.body-read-timeout=3s", "lockstep.manifest.http.concurrent-signins=3"})
class SlowClientsIntegrationTests {

    private static final ManifestSetup SETUP = ManifestSetup.get();

    private static final int PER_KIND = 40;

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    private ManifestApi api;

    private final List<SlowBody> attackers = new ArrayList<>();

    @DynamicPropertySource
    static void configuration(DynamicPropertyRegistry registry) {
        SETUP.config("data-slow", "30s")
                .set("lockstep.manifest.hooks.gitlab.token-sha256", Tokens.sha256("the-gitlab-secret"))
                .properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @BeforeEach
    void client() {
        api = ManifestApi.onPort(port).withTimeout(ANSWER_WITHIN);
    }

    @AfterEach
    void stopAttackers() {
        attackers.forEach(SlowBody::close);
    }

    @Test
    void slowBodiesOnWebhooksAndSignInStallNeitherReadsNorHealthNorAgents() throws Exception {
        long revision = api.get("/api/v1/agents/p1/desired?since=-1", Tokens.agent("p1")).expect(200).json()
                .path("revision").asLong();
        CompletableFuture<Response> heldPoll = api.getAsync("/api/v1/agents/p1/desired?since=" + revision,
                Tokens.agent("p1"));
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < PER_KIND; i++) {
            sessions.add(sessionCookie());
        }

        for (int i = 0; i < PER_KIND; i++) {
            attackers.add(slow("POST /hooks/gitlab HTTP/1.1\r\nHost: manifest\r\nX-Gitlab-Event: Push Hook\r\n"
                    + "Content-Type: application/json"));
            attackers.add(slow("POST /signin HTTP/1.1\r\nHost: manifest\r\n"
                    + "Content-Type: application/x-www-form-urlencoded"));
            attackers.add(slow("POST /signin HTTP/1.1\r\nHost: manifest\r\nCookie: " + sessions.get(i) + "\r\n"
                    + "Content-Type: application/x-www-form-urlencoded"));
        }
        assertThat(heldPoll).as("the poll is held while nothing changes").isNotDone();

        for (int round = 0; round < 5; round++) {
            assertThat(api.get("/api/v1/repos").status()).as("GET /api/v1/repos under attack").isEqualTo(200);
            assertThat(api.get("/actuator/health").status()).as("health under attack").isEqualTo(200);
            assertThat(api.post("/api/v1/agents/p1/report", Tokens.agent("p1"), Map.of("repos", List.of()))
                    .status()).as("an agent's report under attack").isEqualTo(200);
            Thread.sleep(500);
        }
        String commit = SETUP.upstream("polls").commit("under attack");
        assertThat(api.put("/api/v1/repos/polls/target", Tokens.OPERATOR, Map.of("commit", commit)).status())
                .as("a target under attack").isEqualTo(202);
        assertThat(heldPoll.get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS).json().path("repos").path(0)
                .path("target").asString()).as("the held poll, answered by the change").isEqualTo(commit);

        Awaitility.await("every slow client answered").atMost(ANSWER_WITHIN)
                .until(() -> attackers.stream().allMatch(a -> a.answer().isPresent()));
        for (int i = 0; i < attackers.size(); i += 3) {
            assertRefusedUnread(attackers.get(i), 401, "urn:lockstep:problem:webhook-refused");
            assertRefusedUnread(attackers.get(i + 1), 403, "403");
            int status = attackers.get(i + 2).answer().orElseThrow().status();
            assertThat(status).as("a slow sign-in with a session: too many at once, or too slow").isIn(429, 408);
        }
        assertThat(attackers.stream().filter(a -> a.answer().orElseThrow().status() == 408))
                .as("sign-ins that were read, each cut off at the read timeout").hasSizeBetween(1, PER_KIND);
    }

    /** Refused with {@code status} while most of its body was still to come: nothing waited for it. */
    private static void assertRefusedUnread(SlowBody attacker, int status, String saying) {
        RawHttp.Answer answer = attacker.answer().orElseThrow();
        assertThat(answer.status()).as("%s", answer).isEqualTo(status);
        assertThat(answer.body()).as("%s", answer).contains(saying);
        assertThat(answer.header("connection")).as("%s", answer).contains("close");
        assertThat(attacker.sent()).as("body bytes sent before the answer").isLessThan(100);
    }

    private SlowBody slow(String head) {
        return new SlowBody(port, head, 1000, Duration.ofMillis(200));
    }

    private String sessionCookie() {
        return api.get("/signin").expect(200).header("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
    }
}

package org.lockstep.agent.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockstep.agent.support.ScriptedManifest;
import org.lockstep.protocol.AgentReport;
import org.lockstep.protocol.DesiredState;

class ManifestClientTests {

    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    ScriptedManifest manifest;

    @BeforeEach
    void start() throws Exception {
        manifest = new ScriptedManifest("secret", "store-1", 0, Duration.ofMillis(300)).start();
        manifest.set("primary", COMMIT, null);
    }

    @AfterEach
    void stop() {
        manifest.close();
    }

    @Test
    void pollsWithTheTokenAndSinceAndReportsAsIsoJson() throws Exception {
        ManifestClient client = new ManifestClient(List.of(manifest.url() + "/"), "host-a", "secret",
                Duration.ofSeconds(5));
        DesiredState desired = client.poll(0);
        assertThat(desired.storeId()).isEqualTo("store-1");
        assertThat(desired.repos().get(0).active()).isEqualTo(COMMIT);
        assertThat(manifest.requests()).contains("GET /api/v1/agents/host-a/desired?since=0");

        client.report(new AgentReport(Instant.parse("2026-11-26T12:00:00Z"), "store-1", 1, List.of(
                new AgentReport.RepoReport("primary", COMMIT, null, null, null, null,
                        Instant.parse("2026-11-26T11:59:00Z")))));
        assertThat(manifest.rawReports().get(0)).contains("\"sentAt\":\"2026-11-26T12:00:00Z\"")
                .contains("\"switchedAt\":\"2026-11-26T11:59:00Z\"");
    }

    @Test
    void aHeldPollWithTheSameRevisionReturnsItAfterTheHold() throws Exception {
        ManifestClient client = new ManifestClient(List.of(manifest.url()), "host-a", "secret", Duration.ofSeconds(5));
        long revision = client.poll(0).revision();
        long started = System.nanoTime();
        assertThat(client.poll(revision).revision()).isEqualTo(revision);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void triesTheNextUrlAndSticksToTheOneThatAnswered() throws Exception {
        ManifestClient client = new ManifestClient(List.of("http://127.0.0.1:1", manifest.url()), "host-a",
                "secret", Duration.ofSeconds(5));
        assertThat(client.poll(0).storeId()).isEqualTo("store-1");
        assertThat(client.currentUrl()).isEqualTo(manifest.url());
    }

    @Test
    void aRejectedTokenIsAFailureNamingTheProblem() {
        ManifestClient client = new ManifestClient(List.of(manifest.url()), "host-a", "wrong", Duration.ofSeconds(5));
        assertThatThrownBy(() -> client.poll(0)).isInstanceOf(ManifestUnavailable.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("unauthorized");
    }

    @Test
    void aDesiredStateFromAManifestBeforeRetryGenerationsReadsAsGenerationZero() throws Exception {
        String old = """
                {"storeId":"store-1","revision":3,"repos":[{"repo":"primary","url":"file:///x","branch":"main",
                 "active":"%s","target":null,"rollout":null}]}""".formatted(COMMIT);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = old.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            ManifestClient client = new ManifestClient(List.of("http://127.0.0.1:" + server.getAddress().getPort()),
                    "host-a", "secret", Duration.ofSeconds(5));
            DesiredState desired = client.poll(0);
            assertThat(desired.repos().get(0).active()).isEqualTo(COMMIT);
            assertThat(desired.repos().get(0).retry()).isZero();
        }
        finally {
            server.stop(0);
        }
    }

    @Test
    void aShortWaitIsAskedForWhenGiven() throws Exception {
        ManifestClient client = new ManifestClient(List.of(manifest.url()), "host-a", "secret", Duration.ofSeconds(5));
        client.poll(0, Duration.ofMillis(1500));
        assertThat(manifest.requests()).contains("GET /api/v1/agents/host-a/desired?since=0&wait=2");
    }

    @Test
    void backoffGrowsWithJitterUpToTheMaximumAndResets() {
        Backoff backoff = new Backoff(Duration.ofSeconds(8));
        List<Duration> waits = List.of(backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next());
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(waits.get(2)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(waits.get(4)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
        backoff.reset();
        assertThat(backoff.next()).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }
}

package org.lockstep.manifest.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.manifest.ManifestApplication;
import org.lockstep.manifest.rollout.machine.Command;
import org.lockstep.manifest.rollout.machine.Command.Ancestry;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.RolloutMachine;
import org.lockstep.testing.etcd.EtcdProcess;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.manifest.testing.ManifestSetup;
import org.lockstep.testing.manifest.Tokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application with {@code store=etcd}: a target set over HTTP lands in etcd (another instance reads it), and an
 * agent's long-poll on this instance is answered when a second manifest instance changes the desired state. A context
 * of its own, closed after the class, since its etcd goes away with it.
 */
@SpringBootTest(classes = ManifestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class EtcdStoreOverHttpIntegrationTests {

    private static final ManifestSetup SETUP = ManifestSetup.get();

    private static final String PREFIX = "/lockstep-http/";

    @TempDir
    static Path etcdDir;

    static EtcdProcess etcd;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startEtcd() throws IOException {
        etcd = EtcdProcess.start(etcdDir);
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @DynamicPropertySource
    static void fleetOnEtcd(DynamicPropertyRegistry registry) {
        SETUP.register(registry, "data-etcd", "20s");
        registry.add("lockstep.manifest.store", () -> "etcd");
        registry.add("lockstep.manifest.etcd.endpoints[0]", () -> etcd.endpoint());
        registry.add("lockstep.manifest.etcd.prefix", () -> PREFIX);
    }

    @Test
    void targetSetOverHttpIsStoredInEtcdAndReadBack() {
        ManifestApi api = ManifestApi.onPort(port);
        String commit = SETUP.upstream("other").commit("on etcd");

        Response put = api.put("/api/v1/repos/other/target", Tokens.OPERATOR, Map.of("commit", commit, "reason", "ha"));

        assertThat(put.status()).as("%s", put).isEqualTo(202);
        assertThat(api.get("/api/v1/repos/other").json().path("target").asString()).isEqualTo(commit);
        try (EtcdManifestStore otherInstance = new EtcdManifestStore(etcd.endpoints(), PREFIX, Duration.ofSeconds(5))) {
            assertThat(otherInstance.repo("other").flatMap(RepoState::target)).contains(commit);
        }
    }

    @Test
    void waitingAgentIsAnsweredWhenAnotherInstanceChangesItsDesiredState() throws Exception {
        ManifestApi api = ManifestApi.onPort(port);
        long since = api.get("/api/v1/agents/h4/desired?since=-1", Tokens.agent("h4")).json().path("revision").asLong();
        CompletableFuture<Response> poll = api.getAsync("/api/v1/agents/h4/desired?since=" + since, Tokens.agent("h4"));
        Thread.sleep(300);
        assertThat(poll).isNotDone();

        String commit = SETUP.upstream("other").commit("from the other datacenter");
        try (EtcdManifestStore otherInstance = new EtcdManifestStore(etcd.endpoints(), PREFIX, Duration.ofSeconds(5))) {
            Command target = new Command.SetTarget(commit, Ancestry.DESCENDANT, false, "alice", "dc2");
            otherInstance.update("other", target.reads(),
                    (snapshot, next) -> new RolloutMachine().apply(snapshot, target, Instant.now(), next));
        }

        Response answer = poll.get(1500, TimeUnit.MILLISECONDS);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("revision").asLong()).isGreaterThan(since);
        assertThat(answer.json().path("repos").path(0).path("target").asString()).isEqualTo(commit);
    }

    /**
     * Polls are answered from memory, so without this check an instance cut off from etcd would keep its agents
     * (and answer them with what it knew last) instead of sending them to an instance that can see new targets.
     */
    @Test
    void pollsAreRefusedWhileEtcdIsGoneAndAnsweredAgainWhenItIsBack() {
        ManifestApi api = ManifestApi.onPort(port);
        assertThat(api.get("/api/v1/agents/h4/desired?since=-1", Tokens.agent("h4")).status()).isEqualTo(200);

        etcd.kill();
        try {
            await("a poll refused").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Response refused = api.get("/api/v1/agents/h4/desired?since=-1", Tokens.agent("h4"));
                assertThat(refused.status()).as("%s", refused).isEqualTo(503);
                assertThat(refused.problem().orElseThrow().slug()).isEqualTo("store-unavailable");
            });
        }
        finally {
            etcd.restart();
        }
        await("a poll answered").atMost(Duration.ofSeconds(30)).until(() ->
                api.get("/api/v1/agents/h4/desired?since=-1", Tokens.agent("h4")).status() == 200);
    }
}

package org.lockstep.manifest.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.etcd.jetcd.auth.Permission;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.etcd.EtcdAdmin;
import org.lockstep.testing.etcd.EtcdProcess;
import org.lockstep.testing.etcd.EtcdTls;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.ManifestConfig;
import org.lockstep.testing.manifest.ManifestProcess;
import org.lockstep.testing.manifest.Tokens;

import tools.jackson.databind.JsonNode;

/**
 * The packaged jar started with a wrong password, a certificate etcd does not trust, or no etcd at all: the
 * instance keeps running and keeps trying (it does not exit: a restart would change nothing, and an etcd that comes
 * up later, or a file fixed by puppet, heals it without one), says why in exactly one log line, answers health DOWN
 * with the store component's cause (readiness DOWN, liveness UP) and every request with 503, and writes nothing to
 * etcd: no store id. Once the cause is fixed the same process opens the store and turns UP.
 */
class EtcdAccessProcessTests {

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @TempDir
    static Path shared;

    static EtcdTls tls;

    static EtcdProcess etcd;

    static EtcdAdmin admin;

    static GitRepo upstream;

    @TempDir
    Path temp;

    private final String prefix = "/access/" + PREFIXES.incrementAndGet() + "/";

    private ManifestProcess manifest;

    @BeforeAll
    static void startEtcdWithTlsAndAuthentication() {
        tls = EtcdTls.generate(shared.resolve("pki"));
        etcd = EtcdProcess.startTls(shared.resolve("etcd"), tls);
        admin = EtcdAdmin.connect(etcd.endpoints(), tls)
                .user("lockstep", "secret", "/access/", Permission.Type.READWRITE).enableAuth();
        upstream = GitRepo.init(shared.resolve("upstream"));
        upstream.commit("initial");
    }

    @AfterAll
    static void stopEtcd() {
        admin.close();
        etcd.close();
    }

    @AfterEach
    void stopManifest() {
        if (manifest != null) {
            manifest.close();
        }
    }

    @Test
    void wrongPasswordKeepsTheInstanceDownSayingSoOnceUntilThePasswordFileIsFixed() throws IOException {
        Path password = Files.writeString(temp.resolve("etcd-password"), "not the password\n");
        EtcdTls.Pair client = tls.client("manifest-eqiad");
        manifest = new ManifestProcess(temp.resolve("manifest"), config(etcd.endpoints())
                .etcdTls(tls.ca(), client.cert(), client.key()).etcdUser("lockstep", password)).startAnswering();

        assertDownBecause("etcd-auth-failed", "user lockstep", "authentication failed");

        Files.writeString(password, "secret\n");
        assertHealsWithOneStoreId();
    }

    @Test
    void certificateEtcdDoesNotTrustKeepsTheInstanceDownSayingSoOnceUntilTheFilesAreFixed() throws IOException {
        Path cert = temp.resolve("client.pem");
        Path key = temp.resolve("client.key");
        EtcdTls.Pair foreign = tls.foreignClient("lockstep");
        Files.copy(foreign.cert(), cert);
        Files.copy(foreign.key(), key);
        manifest = new ManifestProcess(temp.resolve("manifest"), config(etcd.endpoints())
                .etcdTls(tls.ca(), cert, key)).startAnswering();

        assertDownBecause("etcd-rejected-certificate", "bad_certificate", cert.toString());

        // As puppet would: the right certificate and key in place; etcd takes the common name "lockstep".
        EtcdTls.Pair right = tls.client("lockstep");
        Files.copy(right.key(), key, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(right.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
        assertHealsWithOneStoreId();
    }

    @Test
    void unreachableEtcdKeepsTheInstanceDownSayingSoOnceUntilEtcdIsUp() {
        EtcdProcess plain = EtcdProcess.start(temp.resolve("plain-etcd"));
        try (EtcdAdmin plainAdmin = EtcdAdmin.connect(plain.endpoints(), null)) {
            plain.kill();
            manifest = new ManifestProcess(temp.resolve("manifest"), config(plain.endpoints())).startAnswering();

            assertDownBecause("etcd-unreachable", "Connection refused", "no etcd endpoint accepted a connection");

            plain.restart();
            await("health UP").atMost(Duration.ofSeconds(30)).until(manifest::healthy);
            assertThat(plainAdmin.keys(prefix)).contains(prefix + "meta/revision", prefix + "meta/store-id");
            assertThat(manifest.process().output()).containsOnlyOnce("event=store-created");
        }
        finally {
            plain.close();
        }
    }

    private ManifestConfig config(List<String> endpoints) {
        return ManifestConfig.create(temp.resolve("data")).pollTimeout("2s")
                .repo("primary", upstream.url(), List.of("h1")).standardTokens(List.of("primary"), List.of("h1"))
                .etcd(endpoints, prefix).set("lockstep.manifest.etcd.timeout", "2s");
    }

    /** DOWN with {@code cause}, said once in the log across several attempts, nothing written to etcd. */
    private void assertDownBecause(String cause, String... detailMentions) {
        ManifestApi.Response health = manifest.health();
        assertThat(health.status()).as("%s", health.body()).isEqualTo(503);
        JsonNode store = health.json().path("components").path("store");
        assertThat(health.json().path("status").asString()).isEqualTo("DOWN");
        assertThat(store.path("status").asString()).isEqualTo("DOWN");
        assertThat(store.path("details").path("cause").asString()).as("%s", store).isEqualTo(cause);
        assertThat(store.path("details").path("detail").asString()).contains(detailMentions);
        assertThat(store.path("details").path("hint").asString()).isNotBlank();
        assertThat(manifest.health("/actuator/health/readiness").status()).as("readiness").isEqualTo(503);
        assertThat(manifest.health("/actuator/health/liveness").status()).as("liveness").isEqualTo(200);

        ManifestApi.Response request = manifest.api().get("/api/v1/agents/h1/desired?since=0", Tokens.agent("h1"));
        assertThat(request.status()).isEqualTo(503);
        assertThat(request.problem().orElseThrow().slug()).isEqualTo("store-unavailable");
        assertThat(request.problem().orElseThrow().detail()).contains(cause);

        // Several attempts later, still one line that says it all, and no stack trace.
        await("three failed attempts").atMost(Duration.ofSeconds(30)).until(() -> manifest.health().json()
                .path("components").path("store").path("details").path("failedAttempts").asInt() >= 3);
        String log = manifest.process().output();
        List<String> said = log.lines().filter(line -> line.contains("event=etcd-unavailable")).toList();
        assertThat(said).as("the log:\n%s", log).hasSize(1);
        assertThat(said.get(0)).contains("ERROR", "cause=" + cause, "hint=").contains(detailMentions);
        assertThat(log).doesNotContain("\tat ", "Exception in", "event=store-failed");
        assertThat(manifest.process().alive()).isTrue();
        assertThat(admin.keys(prefix)).as("no store id, nothing at all, under " + prefix).isEmpty();
    }

    private void assertHealsWithOneStoreId() {
        long pid = manifest.process().pid();
        await("health UP").atMost(Duration.ofSeconds(30)).until(manifest::healthy);
        assertThat(manifest.process().pid()).as("the same process, no restart").isEqualTo(pid);
        assertThat(admin.keys(prefix)).contains(prefix + "meta/revision", prefix + "meta/store-id");
        String storeId = admin.value(prefix + "meta/store-id");
        assertThat(manifest.health().json().path("components").path("store").path("details").path("storeId")
                .asString()).isEqualTo(storeId);
        assertThat(manifest.api().get("/api/v1/agents/h1/desired?since=0", Tokens.agent("h1")).json()
                .path("storeId").asString()).isEqualTo(storeId);
        String log = manifest.process().output();
        assertThat(log).containsOnlyOnce("event=store-created").containsOnlyOnce("event=etcd-available");
    }
}

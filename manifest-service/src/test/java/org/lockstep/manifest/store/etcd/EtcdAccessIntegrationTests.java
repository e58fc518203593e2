package org.lockstep.manifest.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.etcd.jetcd.auth.Permission;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.manifest.rollout.machine.Command;
import org.lockstep.manifest.rollout.machine.Command.Ancestry;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.RolloutMachine;
import org.lockstep.manifest.store.StoreHealth;
import org.lockstep.manifest.store.StoreNotOpen;
import org.lockstep.testing.etcd.EtcdAdmin;
import org.lockstep.testing.etcd.EtcdProcess;
import org.lockstep.testing.etcd.EtcdTls;

/**
 * The store against a real etcd over TLS with client certificates required and authentication on, as production
 * runs it (certificates made with openssl). The right certificate with a password, or the certificate's common name
 * alone, opens the store. Every way of being refused (wrong password, certificate of another CA, no certificate, a
 * CA that did not sign etcd, a host name the certificate does not carry, no permission on the prefix, plain
 * {@code http://}, a PKCS#1 key, nothing listening) leaves the store not open with health DOWN naming the cause,
 * and writes nothing at all under the prefix: no store id is ever created on such a failure. Fixing the cause
 * opens the same store instance without a restart.
 */
class EtcdAccessIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @TempDir
    static Path dir;

    static EtcdTls tls;

    static EtcdProcess etcd;

    static EtcdAdmin admin;

    private final List<EtcdManifestStore> opened = new ArrayList<>();

    private final String prefix = "/tls/" + PREFIXES.incrementAndGet() + "/";

    @BeforeAll
    static void startEtcdWithTlsAndAuthentication() {
        tls = EtcdTls.generate(dir.resolve("pki"));
        etcd = EtcdProcess.startTls(dir.resolve("etcd"), tls);
        admin = EtcdAdmin.connect(etcd.endpoints(), tls)
                .user("lockstep", "secret", "/tls/", Permission.Type.READWRITE)
                .user("reader", "reader-secret", "/tls/", Permission.Type.READ)
                .userWithoutRole("lonely", "lonely-secret")
                .enableAuth();
    }

    @AfterAll
    static void stopEtcd() {
        admin.close();
        etcd.close();
    }

    @AfterEach
    void closeStores() {
        opened.forEach(EtcdManifestStore::close);
    }

    @Test
    void certificateAndPasswordOpenTheStoreAndEveryInstanceSharesItsId() {
        EtcdManifestStore store = open(settings().password("lockstep", "secret"));

        assertThat(store.health().up()).isTrue();
        assertThat(store.health().details()).containsEntry("store", "etcd").containsEntry("open", true)
                .containsEntry("storeId", store.storeId()).doesNotContainKey("cause");
        target(store, "primary", 1);
        assertThat(admin.value(prefix + "meta/store-id")).isEqualTo(store.storeId());
        EtcdManifestStore other = open(settings().password("lockstep", "secret"));
        assertThat(other.storeId()).isEqualTo(store.storeId());
        assertThat(other.revision()).as("the expected hosts, then the target").isEqualTo(2);
    }

    @Test
    void certificateCommonNameAloneAuthenticatesAsThatUser() {
        // etcd 3.4 with --client-cert-auth takes the common name as the user when no password is sent.
        EtcdManifestStore store = open(settings());

        assertThat(store.health().up()).as("%s", store.health()).isTrue();
        target(store, "primary", 1);
        assertThat(admin.keys(prefix)).contains(prefix + "meta/store-id", prefix + "repos/primary");
    }

    @Test
    void wrongPasswordIsRefusedWithoutCreatingAStoreAndFixingTheFileOpensItWithoutARestart() throws IOException {
        Settings settings = settings().password("lockstep", "not the password");
        EtcdManifestStore store = open(settings);

        assertRefused(store, EtcdProblem.AUTH_FAILED);
        assertThat(store.health().details().get("detail")).asString()
                .contains("user lockstep").contains("authentication failed");
        assertThatThrownBy(() -> target(store, "primary", 1)).isInstanceOf(StoreNotOpen.class)
                .hasMessageContaining("etcd-auth-failed");

        Files.writeString(settings.passwordFile, "secret\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> store.health().up());
        assertThat(store.health().details()).doesNotContainKey("cause");
        assertThat(admin.keys(prefix)).containsExactly(prefix + "meta/revision", prefix + "meta/store-id");
        assertThat(store.storeId()).isEqualTo(admin.value(prefix + "meta/store-id"));
        target(store, "primary", 1);
        assertThat(store.revision()).as("the expected hosts, then the target").isEqualTo(2);
    }

    @Test
    void certificateSignedByAnotherCaIsRefused() {
        EtcdManifestStore store = open(settings().certificate(tls.foreignClient("lockstep"))
                .password("lockstep", "secret"));

        assertRefused(store, EtcdProblem.CERTIFICATE_REJECTED);
    }

    @Test
    void noClientCertificateIsRefused() {
        EtcdManifestStore store = open(settings().certificate(null).password("lockstep", "secret"));

        assertRefused(store, EtcdProblem.CERTIFICATE_REJECTED);
        assertThat(store.health().details().get("detail")).asString().contains("no client certificate");
    }

    @Test
    void etcdCertificateNotSignedByTheConfiguredCaIsNotTrusted() {
        EtcdManifestStore store = open(settings().ca(tls.foreignCa()).password("lockstep", "secret"));

        assertRefused(store, EtcdProblem.SERVER_UNTRUSTED);
    }

    @Test
    void hostNameMissingFromEtcdCertificateIsNotTrustedUnlessTheAuthorityNamesOneItHas() {
        // The server certificate names 127.0.0.1 only.
        String byName = etcd.endpoint().replace("127.0.0.1", "localhost");
        EtcdManifestStore refused = open(settings().endpoint(byName).password("lockstep", "secret"));
        assertRefused(refused, EtcdProblem.SERVER_UNTRUSTED);
        assertThat(refused.health().details().get("detail")).asString().contains("localhost");

        EtcdManifestStore store = open(settings().endpoint(byName).authority("127.0.0.1")
                .password("lockstep", "secret"));
        assertThat(store.health().up()).as("%s", store.health()).isTrue();
    }

    @Test
    void userWhoMayOnlyReadIsRefusedBeforeAnyStoreIdExists() {
        EtcdManifestStore store = open(settings().password("reader", "reader-secret"));

        assertRefused(store, EtcdProblem.PERMISSION_DENIED);
    }

    @Test
    void userWithoutRoleIsRefused() {
        EtcdManifestStore store = open(settings().password("lonely", "lonely-secret"));

        assertRefused(store, EtcdProblem.PERMISSION_DENIED);
    }

    @Test
    void certificateOfAnUnknownUserIsRefused() {
        // etcd takes the common name as a user name it does not know, and answers "permission denied".
        EtcdManifestStore store = open(settings().certificate(tls.client("stranger")));

        assertRefused(store, EtcdProblem.PERMISSION_DENIED);
    }

    @Test
    void plainHttpToATlsEtcdIsAMismatch() {
        EtcdManifestStore store = open(EtcdSettings.plain(List.of(etcd.endpoint().replace("https:", "http:")),
                prefix, TIMEOUT));

        assertRefused(store, EtcdProblem.TLS_MISMATCH);
    }

    @Test
    void pkcs1KeyIsRefusedWithTheCommandThatConvertsIt() {
        EtcdTls.Pair pair = tls.client("lockstep");
        Path pkcs1 = tls.pkcs1Key("client-lockstep");
        EtcdManifestStore store = open(settings().certificate(new EtcdTls.Pair(pair.cert(), pkcs1))
                .password("lockstep", "secret"));

        assertRefused(store, EtcdProblem.CLIENT_CONFIG);
        assertThat(store.health().details().get("detail")).asString().contains("PKCS#1")
                .contains("openssl pkcs8 -topk8 -nocrypt -in " + pkcs1);
    }

    @Test
    void missingPasswordFileIsAClientConfigurationProblem() {
        Settings settings = settings().password("lockstep", "secret");
        settings.passwordFile = dir.resolve("no-such-file");
        EtcdManifestStore store = open(settings);

        assertRefused(store, EtcdProblem.CLIENT_CONFIG);
        assertThat(store.health().details().get("detail")).asString().contains("password-file")
                .contains("no-such-file");
    }

    @Test
    void unreachableEtcdIsNamedAndTheStoreOpensOnceEtcdIsUp() {
        EtcdProcess plain = EtcdProcess.start(dir.resolve("plain-" + PREFIXES.incrementAndGet()));
        try {
            plain.kill();
            EtcdManifestStore store = open(EtcdSettings.plain(plain.endpoints(), prefix, TIMEOUT));
            assertThat(store.health().up()).isFalse();
            assertThat(store.health().details()).containsEntry("cause", EtcdProblem.UNREACHABLE.slug());
            assertThatThrownBy(store::revision).isInstanceOf(StoreNotOpen.class)
                    .hasMessageContaining("etcd-unreachable");

            plain.restart();
            await().atMost(Duration.ofSeconds(20)).until(() -> store.health().up());
            assertThat(store.revision()).isZero();
            assertThat(store.storeId()).hasSize(36);
        }
        finally {
            plain.close();
        }
    }

    @Test
    void startupWorkWaitsForTheStoreToOpenAndKeepsHealthDownUntilItRan() throws IOException {
        Settings settings = settings().password("lockstep", "wrong");
        EtcdManifestStore store = open(settings);
        AtomicInteger ran = new AtomicInteger();
        store.whenOpen(() -> {
            ran.incrementAndGet();
            target(store, "primary", 7);
        });
        assertThat(ran).hasValue(0);

        Files.writeString(settings.passwordFile, "secret");
        await().atMost(Duration.ofSeconds(20)).until(() -> store.health().up());
        assertThat(ran).hasValue(1);
        assertThat(store.repo("primary").flatMap(RepoState::target)).contains(commit(7));
    }

    private void assertRefused(EtcdManifestStore store, EtcdProblem problem) {
        StoreHealth health = store.health();
        assertThat(health.up()).as("%s", health).isFalse();
        assertThat(health.details()).as("%s", health).containsEntry("cause", problem.slug())
                .containsEntry("open", false).containsEntry("hint", problem.hint()).containsKey("since");
        assertThatThrownBy(store::storeId).isInstanceOf(StoreNotOpen.class).hasMessageContaining(problem.slug());
        assertThatThrownBy(store::revision).isInstanceOf(StoreNotOpen.class);
        assertThat(admin.keys(prefix)).as("nothing written under " + prefix).isEmpty();
    }

    private EtcdManifestStore open(Settings settings) {
        return open(settings.build());
    }

    private EtcdManifestStore open(EtcdSettings settings) {
        EtcdManifestStore store = new EtcdManifestStore(settings);
        opened.add(store);
        return store;
    }

    /** Host h1 expected, then a target: what a manifest does first with a new store. */
    private static void target(EtcdManifestStore store, String repo, int n) {
        for (Command command : List.of(new Command.ChangeHosts(Set.of("h1")),
                new Command.SetTarget(commit(n), Ancestry.NO_ACTIVE, false, "ci", "tls"))) {
            store.update(repo, command.reads(),
                    (snapshot, next) -> new RolloutMachine().apply(snapshot, command, EtcdStoreScenario.NOW, next));
        }
    }

    private static String commit(int n) {
        return String.format("%040x", n);
    }

    private Settings settings() {
        return new Settings(prefix);
    }

    /** The settings a test varies, starting from a working certificate and no password. */
    private static final class Settings {

        private final String prefix;

        private String endpoint = etcd.endpoint();

        private Path ca = tls.ca();

        private EtcdTls.Pair certificate = tls.client("lockstep");

        private String authority;

        private String user;

        private Path passwordFile;

        Settings(String prefix) {
            this.prefix = prefix;
        }

        Settings endpoint(String url) {
            this.endpoint = url;
            return this;
        }

        Settings ca(Path file) {
            this.ca = file;
            return this;
        }

        Settings certificate(EtcdTls.Pair pair) {
            this.certificate = pair;
            return this;
        }

        Settings authority(String name) {
            this.authority = name;
            return this;
        }

        Settings password(String name, String password) {
            this.user = name;
            try {
                this.passwordFile = Files.writeString(Files.createTempFile(dir, "password-", ""), password + "\n");
            }
            catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
            return this;
        }

        EtcdSettings build() {
            return new EtcdSettings(List.of(URI.create(endpoint)), prefix, TIMEOUT, ca,
                    certificate == null ? null : certificate.cert(), certificate == null ? null : certificate.key(),
                    authority, user, passwordFile);
        }
    }
}

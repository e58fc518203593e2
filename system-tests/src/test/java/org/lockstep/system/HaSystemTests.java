package org.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.etcd.jetcd.auth.Permission;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.testing.Processes;
import org.lockstep.testing.agent.AgentProcess;
import org.lockstep.testing.etcd.EtcdAdmin;
import org.lockstep.testing.etcd.EtcdMembers;
import org.lockstep.testing.etcd.EtcdProcess;
import org.lockstep.testing.etcd.EtcdTls;
import org.lockstep.testing.fleet.Canary;
import org.lockstep.testing.fleet.Fleet;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.ManifestConfig;
import org.lockstep.testing.manifest.Tokens;

import tools.jackson.databind.JsonNode;

/**
 * Two datacenters, one control plane, every part a real process: a 3-member etcd cluster over TLS with client
 * certificates required and authentication on (certificates made with openssl), two manifest jars, "eqiad"
 * (authenticating with a password) and "codfw" (by its certificate's common name), four agents listing both
 * (their own datacenter's first: three in eqiad, one in codfw), nginx per host with the configuration puppet
 * renders, and the incident's canary reading {@code latest} and then that exact version the whole time. Each
 * scenario has its own etcd key prefix on the one cluster, and checks docs/design.md's invariants on what the hosts
 * served.
 */
class HaSystemTests {

    static final String EQIAD = "eqiad";

    static final String CODFW = "codfw";

    static final List<String> EQIAD_HOSTS = List.of("schema1001", "schema1002", "schema1003");

    static final String CODFW_HOST = "schema2001";

    /** Short holds, so that a frozen instance costs an agent seconds, not a minute, before it fails over. */
    static final String POLL_TIMEOUT = "3s";

    static final Duration AGENT_POLL_TIMEOUT = Duration.ofSeconds(10);

    private static final String USER = "lockstep";

    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    static Path shared;

    static EtcdTls tls;

    static EtcdMembers etcd;

    static EtcdAdmin admin;

    static Path passwordFile;

    static final HaFigures FIGURES = new HaFigures();

    private Fleet fleet;

    private Canary canary;

    @BeforeAll
    static void startTheEtcdCluster() throws IOException {
        tls = EtcdTls.generate(shared.resolve("pki"));
        etcd = EtcdMembers.start(shared.resolve("etcd"), 3, tls);
        admin = EtcdAdmin.connect(etcd.endpoints(), tls).user(USER, PASSWORD, "/ha/", Permission.Type.READWRITE)
                .enableAuth();
        passwordFile = Files.writeString(shared.resolve("etcd-password"), PASSWORD + "\n");
    }

    @AfterAll
    static void stopTheEtcdCluster() throws IOException {
        admin.close();
        etcd.close();
        FIGURES.write();
    }

    @AfterEach
    void stopTheFleet() {
        try {
            if (canary != null) {
                canary.stop();
            }
            if (fleet != null) {
                fleet.close();
            }
        }
        finally {
            // The next scenario gets the whole cluster back.
            etcd.members().stream().filter(m -> !m.alive()).forEach(EtcdProcess::restart);
        }
    }

    @Test
    void killingTheInstanceMostAgentsPollMidRolloutLosesNothingItAcknowledgedAndEveryAgentFailsOver() {
        String first = twoDatacentersServing("kill-instance");
        measureCrossInstanceLatency(3);

        // Three agents list eqiad first; a slow answer at start-up may have moved one: ask the agents.
        Map<String, String> polling = pollingNow();
        String victim = mostPolled(polling);
        String survivor = other(victim);
        List<String> victimsAgents = pollersOf(victim, polling);

        AgentProcess laggard = fleet.agent(victimsAgents.get(0));
        laggard.freeze(); // the rollout cannot activate while one host cannot prepare
        String second = fleet.schemas().addVersion("test-event", "1.1.0");
        fleet.api(victim).setTarget(Tokens.CI, Fleet.REPO, second, "acknowledged by " + victim).expect(202);
        awaitPrepared(second, fleet.agents().keySet().stream().filter(h -> !h.equals(laggard.host())).toList());
        String third = fleet.schemas().addVersion("test-event", "1.2.0");
        fleet.api(victim).setTarget(Tokens.CI, Fleet.REPO, third, "acknowledged by " + victim + " as it dies")
                .expect(202);

        Instant killed = Instant.now();
        assertThat(fleet.manifest(victim).kill()).isEqualTo(137);
        laggard.thaw();
        fleet.talkTo(survivor);

        fleet.awaitEveryHostServes(third, Duration.ofSeconds(90));
        fleet.awaitRolloutState(third, "COMPLETE", Duration.ofSeconds(30));
        assertThat(fleet.rolloutState(second)).isEqualTo("SUPERSEDED");
        assertThat(fleet.rolloutState(first)).isEqualTo("COMPLETE");
        Map<String, Instant> failedOver = failoversSince(killed);
        assertThat(failedOver).as("every agent of %s now polls %s", victim, survivor)
                .containsOnlyKeys(victimsAgents);
        assertThat(pollingNow()).as("every agent polls %s", survivor).allSatisfy((host, instance) ->
                assertThat(instance).isEqualTo(survivor));
        FIGURES.failover("kill -9", killed, failedOver);
        assertServedWithoutAMiss();
    }

    @Test
    void instanceFrozenLongerThanThePollTimeoutThenThawedMakesNoHostGoBack() {
        String first = twoDatacentersServing("freeze-instance");
        Map<String, String> polling = pollingNow();
        String victim = mostPolled(polling);
        String survivor = other(victim);

        Instant frozen = Instant.now();
        fleet.manifest(victim).process().pause(); // a partition: it holds its connections and answers nothing
        fleet.talkTo(survivor);
        String second = fleet.schemas().addVersion("test-event", "1.1.0");
        deployAndComplete(second);
        Map<String, Instant> failedOver = failoversSince(frozen);
        assertThat(failedOver).as("the agents that polled %s: %s", victim, polling)
                .containsOnlyKeys(pollersOf(victim, polling));
        FIGURES.failover("SIGSTOP (agent poll timeout " + AGENT_POLL_TIMEOUT.toSeconds() + " s)", frozen,
                failedOver);
        assertThat(Duration.between(frozen, Instant.now())).as("frozen for longer than the poll timeouts")
                .isGreaterThan(AGENT_POLL_TIMEOUT);

        fleet.manifest(victim).process().resume();
        // The healed instance answers from the present, not from the state it froze with.
        Awaitility.await(victim + " healthy again").atMost(Duration.ofSeconds(30))
                .until(() -> fleet.manifest(victim).healthy());
        JsonNode seenByVictim = desired(victim, "schema1001");
        assertThat(seenByVictim.path("revision").asLong())
                .isEqualTo(desired(survivor, "schema1001").path("revision").asLong());
        assertThat(seenByVictim.path("repos").path(0).path("active").asString()).isEqualTo(second);
        String third = fleet.schemas().addVersion("test-event", "1.2.0");
        fleet.talkTo(victim);
        deployAndComplete(third);
        // Nothing flips back: watch two more poll rounds of every agent after the partition healed.
        Instant settled = Instant.now().plus(AGENT_POLL_TIMEOUT.multipliedBy(2));
        Awaitility.await("two poll rounds on the healed fleet").atMost(Duration.ofSeconds(60))
                .until(() -> Instant.now().isAfter(settled)
                        && fleet.agents().values().stream().allMatch(a -> third.equals(a.current().orElse(null))));
        for (String commit : List.of(first, second, third)) {
            assertThat(fleet.rolloutState(commit)).as("rollout of %s", commit).isEqualTo("COMPLETE");
        }
        assertServedWithoutAMiss();
    }

    @Test
    void etcdLosingItsLeaderThenItsMajorityMidRolloutResumesWritesWhenTheMajorityIsBack() {
        twoDatacentersServing("etcd-members");
        // The last host prepares and stops short of reporting it, so the rollout stays mid-way.
        AgentProcess last = fleet.agent(CODFW_HOST);
        last.kill();
        last.start("--lockstep.agent.debug.hold-at=before-report", "--lockstep.agent.heartbeat=10m");
        String second = fleet.schemas().addVersion("test-event", "1.1.0");
        fleet.api(EQIAD).setTarget(Tokens.CI, Fleet.REPO, second, "before etcd loses its leader").expect(202);
        awaitPrepared(second, fleet.agents().keySet());
        last.awaitLog("event=hold-reached point=before-report", Duration.ofSeconds(60));

        EtcdProcess leader = admin.leader(etcd);
        leader.kill();
        // Two members of three: a new leader, and writes go on, through either instance.
        for (String instance : List.of(CODFW, EQIAD)) {
            Awaitility.await("a write through " + instance + " with two members of three")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> fleet.api(instance).action(Tokens.OPERATOR, Fleet.REPO, "pause", "two of three")
                            .status() == 200);
            fleet.api(instance).action(Tokens.OPERATOR, Fleet.REPO, "resume", "two of three").expect(200);
        }

        EtcdProcess newLeader = admin.leader(etcd);
        EtcdProcess follower = etcd.members().stream().filter(m -> m.alive() && m != newLeader).findFirst()
                .orElseThrow();
        follower.kill();
        // One member of three: no quorum. Both instances say so, and nothing can activate meanwhile.
        for (String instance : List.of(EQIAD, CODFW)) {
            Awaitility.await(instance + " DOWN without a majority").atMost(Duration.ofSeconds(30))
                    .until(() -> fleet.manifest(instance).health().status() == 503);
        }
        assertThat(fleet.api(CODFW).get("/api/v1/repos/" + Fleet.REPO).status()).isEqualTo(503);
        last.kill();
        last.start(); // reports its prepared release, again and again, in vain
        last.awaitLog("event=manifest-unavailable", Duration.ofSeconds(60));
        assertThat(fleet.agents().values()).noneMatch(a -> second.equals(a.current().orElse(null)));

        Instant majorityBack = Instant.now();
        follower.restart();
        fleet.awaitEveryHostServes(second, Duration.ofSeconds(90));
        FIGURES.etcdMajorityBack(majorityBack, activatedAt(second));
        leader.restart();
        for (String instance : List.of(EQIAD, CODFW)) {
            Awaitility.await(instance + " UP again").atMost(Duration.ofSeconds(30))
                    .until(() -> fleet.manifest(instance).healthy());
        }
        fleet.awaitRolloutState(second, "COMPLETE", Duration.ofSeconds(30));
        assertServedWithoutAMiss();
    }

    @Test
    void sameTargetThroughBothInstancesAndTheLastPreparedReportToBothAtOnceActivateOnce() throws Exception {
        String first = twoDatacentersServing("race");
        // The last host prepares, links next and stops there without reporting (and no heartbeat reports for
        // it): the test sends its report, exactly as the agent would, to both instances at the same moment, as
        // when an agent's report is retried against the other datacenter. (The store's own race, repeated, is
        // TwoManifestsIntegrationTests.)
        AgentProcess last = fleet.agent(CODFW_HOST);
        last.kill();
        last.start("--lockstep.agent.debug.hold-at=before-report", "--lockstep.agent.heartbeat=10m");
        String second = fleet.schemas().addVersion("test-event", "1.1.0");
        List<Response> targets = atOnce(
                () -> fleet.api(EQIAD).setTarget(Tokens.CI, Fleet.REPO, second, "same target, eqiad"),
                () -> fleet.api(CODFW).setTarget(Tokens.CI, Fleet.REPO, second, "same target, codfw"));
        assertThat(targets).extracting(Response::status).containsExactly(202, 202);
        long rollout = targets.get(0).json().path("id").asLong();
        assertThat(targets.get(1).json().path("id").asLong()).as("one rollout").isEqualTo(rollout);
        awaitPrepared(second, fleet.agents().keySet());
        last.awaitLog("event=hold-reached point=before-report", Duration.ofSeconds(60));

        Map<String, Object> report = preparedReport(desired(CODFW, CODFW_HOST), first, second);
        List<Response> answers = atOnce(
                () -> fleet.api(EQIAD).report(CODFW_HOST, Tokens.agent(CODFW_HOST), report),
                () -> fleet.api(CODFW).report(CODFW_HOST, Tokens.agent(CODFW_HOST), report));
        assertThat(answers).extracting(Response::status).containsExactly(200, 200);

        JsonNode history = fleet.api(CODFW).get("/api/v1/rollouts/" + rollout).json();
        assertThat(history.path("events").valueStream().filter(e -> e.path("action").asString()
                .equals("ACTIVATING")).count()).as("ACTIVATING events of %s", history).isEqualTo(1);
        assertThat(history.path("events").valueStream().filter(e -> e.path("action").asString()
                .equals("CREATED")).count()).as("CREATED events").isEqualTo(1);
        last.kill();
        last.start();
        fleet.awaitEveryHostServes(second, Duration.ofSeconds(90));
        fleet.awaitRolloutState(second, "COMPLETE", Duration.ofSeconds(30));
        assertServedWithoutAMiss();
    }

    /** Both datacenters up, the first version served everywhere, the canary reading: where scenarios begin. */
    private String twoDatacentersServing(String scenario) {
        String prefix = "/ha/" + scenario + "/";
        EtcdTls.Pair eqiad = tls.client("manifest-eqiad"); // authenticates with the password
        EtcdTls.Pair codfw = tls.client(USER); // authenticates by its certificate's common name
        Fleet.Layout layout = new Fleet.Layout()
                .manifest(EQIAD, config -> onEtcd(config, prefix).etcdTls(tls.ca(), eqiad.cert(), eqiad.key())
                        .etcdUser(USER, passwordFile))
                .manifest(CODFW, config -> onEtcd(config, prefix).etcdTls(tls.ca(), codfw.cert(), codfw.key()))
                .agents((host, agent) -> agent.set("lockstep.agent.poll-timeout",
                        AGENT_POLL_TIMEOUT.toSeconds() + "s"));
        EQIAD_HOSTS.forEach(host -> layout.host(host, EQIAD, CODFW));
        layout.host(CODFW_HOST, CODFW, EQIAD);
        fleet = new Fleet(layout);
        String first = fleet.schemas().addVersion("test-event", "1.0.0");
        fleet.start().serveWithPuppetConfig();
        fleet.deploy(first);
        canary = new Canary(new ArrayList<>(fleet.web().values()), Fleet.REPO, "test-event").start();
        return first;
    }

    private static ManifestConfig onEtcd(ManifestConfig config, String prefix) {
        return config.etcd(etcd.endpoints(), prefix).pollTimeout(POLL_TIMEOUT)
                .set("lockstep.manifest.etcd.timeout", "3s");
    }

    /**
     * Cross-instance latency, both ways: a poll held on one instance, a target written through the other; from the
     * writer's 202 to the held poll's answer.
     */
    private void measureCrossInstanceLatency(int rounds) {
        fleet.api(EQIAD).action(Tokens.OPERATOR, Fleet.REPO, "pause", "measuring").expect(200);
        int measured = 0;
        for (int i = 0; measured < 2 * rounds; i++) {
            assertThat(i).as("rounds tried for %d measured", measured).isLessThan(4 * rounds);
            String writer = measured % 2 == 0 ? EQIAD : CODFW;
            String poller = measured % 2 == 0 ? CODFW : EQIAD;
            // The commit exists before the poll starts, so only the write itself falls inside the poll's hold.
            String commit = fleet.schemas().addVersion("latency", "1.0." + i);
            long since = desired(poller, CODFW_HOST).path("revision").asLong();
            CompletableFuture<Response> poll = fleet.api(poller)
                    .getAsync("/api/v1/agents/" + CODFW_HOST + "/desired?since=" + since, Tokens.agent(CODFW_HOST));
            Processes.sleep(Duration.ofMillis(300));
            assertThat(poll).as("the poll is held").isNotDone();
            fleet.api(writer).setTarget(Tokens.CI, Fleet.REPO, commit, "latency").expect(202);
            Instant acknowledged = Instant.now();
            Response answer = poll.orTimeout(10, TimeUnit.SECONDS).join();
            Instant answered = Instant.now();
            long revision = answer.json().path("revision").asLong();
            if (revision == since) {
                // The hold (POLL_TIMEOUT) ran out while the write was still in progress (a slow fetch of the
                // branch on a busy machine): nothing to measure in this round, but the poller must still hear it.
                Awaitility.await("the write reaches " + poller).atMost(Duration.ofSeconds(10))
                        .until(() -> desired(poller, CODFW_HOST).path("revision").asLong() > since);
                continue;
            }
            assertThat(revision).isGreaterThan(since);
            FIGURES.crossInstance(writer + " -> " + poller, Duration.between(acknowledged, answered));
            measured++;
        }
        String last = fleet.api(EQIAD).repo(Fleet.REPO).path("target").asString();
        fleet.api(EQIAD).action(Tokens.OPERATOR, Fleet.REPO, "resume", "measured").expect(200);
        fleet.awaitEveryHostServes(last, Duration.ofSeconds(90));
    }

    private void deployAndComplete(String commit) {
        fleet.deploy(commit);
        fleet.awaitRolloutState(commit, "COMPLETE", Duration.ofSeconds(30));
    }

    private JsonNode desired(String instance, String host) {
        return fleet.api(instance).get("/api/v1/agents/" + host + "/desired?since=-1", Tokens.agent(host))
                .expect(200).json();
    }

    /** What the agent of {@code host} reports once {@code commit} is prepared next to {@code current}. */
    private static Map<String, Object> preparedReport(JsonNode desired, String current, String commit) {
        Map<String, Object> repo = new LinkedHashMap<>();
        repo.put("repo", Fleet.REPO);
        repo.put("current", current);
        repo.put("next", commit);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("sentAt", Instant.now().toString());
        report.put("storeId", desired.path("storeId").asString());
        report.put("revision", desired.path("revision").asLong());
        report.put("repos", List.of(repo));
        return report;
    }

    private void awaitPrepared(String commit, Iterable<String> hosts) {
        Awaitility.await("prepared " + commit + " on " + hosts).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    for (String host : hosts) {
                        if (!commit.equals(fleet.agent(host).next().orElse(null))) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private static String mostPolled(Map<String, String> polling) {
        return polling.values().stream().filter(EQIAD::equals).count() * 2 >= polling.size() ? EQIAD : CODFW;
    }

    private static String other(String instance) {
        return instance.equals(EQIAD) ? CODFW : EQIAD;
    }

    private static List<String> pollersOf(String instance, Map<String, String> polling) {
        return polling.entrySet().stream().filter(e -> e.getValue().equals(instance)).map(Map.Entry::getKey)
                .toList();
    }

    /** Host -> the instance its agent polls now: where it last failed over to, else the first it lists. */
    private Map<String, String> pollingNow() {
        Map<String, String> polling = new LinkedHashMap<>();
        fleet.agents().forEach((host, agent) -> {
            List<String> moves = agent.logText().lines().filter(l -> l.contains("event=manifest-failover")).toList();
            String instance = EQIAD_HOSTS.contains(host) ? EQIAD : CODFW;
            if (!moves.isEmpty()) {
                String to = moves.get(moves.size() - 1).replaceAll(".* to=(\\S+).*", "$1");
                instance = fleet.manifests().entrySet().stream().filter(m -> m.getValue().url().equals(to))
                        .map(Map.Entry::getKey).findFirst().orElseThrow();
            }
            polling.put(host, instance);
        });
        return polling;
    }

    /** Host -> the first time since {@code since} its agent logged moving to another manifest URL. */
    private Map<String, Instant> failoversSince(Instant since) {
        Map<String, Instant> first = new LinkedHashMap<>();
        fleet.agents().forEach((host, agent) -> agent.logText().lines()
                .filter(line -> line.contains("event=manifest-failover"))
                .map(line -> Instant.parse(line.substring(0, line.indexOf(' '))))
                .filter(at -> !at.isBefore(since)).findFirst().ifPresent(at -> first.put(host, at)));
        return first;
    }

    private Instant activatedAt(String commit) {
        for (JsonNode rollout : fleet.api().rollouts(Fleet.REPO).get("items")) {
            if (rollout.path("commit").asString().equals(commit)) {
                for (JsonNode event : rollout.path("events")) {
                    if (event.path("action").asString().equals("ACTIVATING")) {
                        return Instant.parse(event.path("at").asString());
                    }
                }
            }
        }
        throw new AssertionError(commit + " was never activated");
    }

    private void assertServedWithoutAMiss() {
        canary.stop();
        assertThat(canary.requests()).as("canary rounds").isPositive();
        assertThat(canary.misses()).as("canary misses: %s", canary.missed()).isZero();
        var invariants = fleet.invariants();
        invariants.holdOnObservedHistory();
        invariants.eachRolloutActivatedAtMostOnce();
        invariants.noHostWentBack();
    }

    /** Runs both at the same moment (as far as two threads can) and returns both answers, in order. */
    private static List<Response> atOnce(Supplier<Response> one, Supplier<Response> two) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Response> a = pool.submit(() -> {
                start.await();
                return one.get();
            });
            Future<Response> b = pool.submit(() -> {
                start.await();
                return two.get();
            });
            return List.of(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));
        }
        finally {
            pool.shutdownNow();
        }
    }
}

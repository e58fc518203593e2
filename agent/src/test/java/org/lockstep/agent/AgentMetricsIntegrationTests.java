package org.lockstep.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.agent.support.Samples;
import org.lockstep.agent.support.ScriptedManifest;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.Http;
import org.lockstep.testing.agent.AgentConfig;
import org.lockstep.testing.manifest.Tokens;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The agent's metrics a person alerts on, from the whole agent against a {@link ScriptedManifest}: fetch and
 * prepare durations, failures by kind, a permanent failure, lagging and the load balancer's verdict, the last report
 * that reached a manifest; and every agent metric the shipped rules and dashboard (monitoring/) use.
 */
class AgentMetricsIntegrationTests {

    static final Duration WAIT = Duration.ofSeconds(30);

    static final String UNKNOWN = "0123456789abcdef0123456789abcdef01234567";

    static final String HOST = "host-a";

    @TempDir
    Path tmp;

    GitRepo origin;

    String first;

    String second;

    ScriptedManifest manifest;

    ConfigurableApplicationContext agent;

    @BeforeEach
    void setUp() throws Exception {
        origin = GitRepo.init(tmp.resolve("origin"));
        first = Samples.schemas(origin).commit("first");
        second = origin.write("broken.json", "{\n").commit("second");
        manifest = new ScriptedManifest(Tokens.agent(HOST), "store-1", 0, Duration.ofSeconds(5)).start();
    }

    @AfterEach
    void tearDown() {
        if (agent != null) {
            agent.close();
        }
        manifest.close();
        origin.close();
    }

    @Test
    void aDeploymentTimesItsFetchAndPreparationAndLeavesTheHostInThePool() throws Exception {
        Instant started = Instant.now();
        manifest.set("primary", first, null);
        agent = start();
        manifest.awaitReport("primary", r -> first.equals(r.current()), WAIT);
        Awaitility.await("in the pool").atMost(WAIT)
                .until(() -> prometheus().contains("lockstep_agent_in_pool{application=\"lockstep-agent\"} 1.0"));

        String metrics = prometheus();
        assertThat(metrics).contains("lockstep_agent_fetch_duration_seconds_count{application=\"lockstep-agent\","
                + "repo=\"primary\"} 1").contains("lockstep_agent_fetch_duration_seconds_bucket{application="
                + "\"lockstep-agent\",repo=\"primary\",le=\"300.0\"} 1")
                .contains("lockstep_agent_prepare_duration_seconds_count{application=\"lockstep-agent\","
                + "repo=\"primary\"} 1")
                .contains("lockstep_agent_lagging{application=\"lockstep-agent\",repo=\"primary\"} 0.0")
                .contains("lockstep_agent_behind_seconds{application=\"lockstep-agent\",repo=\"primary\"} 0.0");
        assertThat(bucketsPerTimer(metrics, "lockstep_agent_fetch_duration_seconds_bucket"))
                .as("few buckets: every host exports them").isLessThanOrEqualTo(8);
        double lastReport = value(metrics, "lockstep_agent_last_report_timestamp_seconds{application="
                + "\"lockstep-agent\"}");
        assertThat(lastReport).isGreaterThanOrEqualTo(started.getEpochSecond())
                .isLessThanOrEqualTo(Instant.now().getEpochSecond() + 1);
    }

    @Test
    void failuresAreCountedByKindAndAPermanentOneSaysSo() throws Exception {
        manifest.set("primary", UNKNOWN, null);
        agent = start("--lockstep.agent.repos.primary.verify-command=test ! -e broken.json");
        Awaitility.await("commit-not-found counted").atMost(WAIT).until(() -> prometheus().contains(
                "lockstep_agent_failures_total{application=\"lockstep-agent\",kind=\"commit-not-found\","
                + "repo=\"primary\"}"));
        // The load balancer's verdict is renewed every second, on its own thread.
        Awaitility.await("lagging and out of the pool").atMost(WAIT).until(() -> prometheus().contains(
                "lockstep_agent_lagging{application=\"lockstep-agent\",repo=\"primary\"} 1.0")
                && prometheus().contains("lockstep_agent_in_pool{application=\"lockstep-agent\"} 0.0"));
        assertThat(prometheus()).as("not found is retried: not permanent").contains(
                "lockstep_agent_permanent_error{application=\"lockstep-agent\",repo=\"primary\"} 0.0");

        manifest.set("primary", first, second);
        Awaitility.await("verify-failed counted").atMost(WAIT).until(() -> prometheus().contains(
                "lockstep_agent_permanent_error{application=\"lockstep-agent\",repo=\"primary\"} 1.0"));
        assertThat(prometheus()).contains("lockstep_agent_failures_total{application=\"lockstep-agent\","
                + "kind=\"verify-failed\",repo=\"primary\"} 1.0");
    }

    @Test
    void everyAgentMetricTheShippedRulesAndDashboardUseIsExported() throws Exception {
        manifest.set("primary", UNKNOWN, null);
        agent = start();
        Awaitility.await("a failure counted").atMost(WAIT)
                .until(() -> prometheus().contains("lockstep_agent_failures_total"));
        manifest.set("primary", first, null);
        manifest.awaitReport("primary", r -> first.equals(r.current()), WAIT);
        String metrics = prometheus();
        Set<String> used = new TreeSet<>();
        Path monitoring = Path.of("..", "monitoring");
        for (Path file : List.of(monitoring.resolve("prometheus/lockstep-rules.yml"),
                monitoring.resolve("grafana/lockstep-fleet.json"))) {
            Matcher names = Pattern.compile("lockstep_agent_[a-z_]+").matcher(Files.readString(file));
            while (names.find()) {
                used.add(names.group().replaceAll("_(bucket|count|sum)$", ""));
            }
        }
        assertThat(used).contains("lockstep_agent_in_pool", "lockstep_agent_permanent_error",
                "lockstep_agent_last_report_timestamp_seconds", "lockstep_agent_failures_total");
        for (String name : used) {
            assertThat(metrics.lines().anyMatch(l -> l.matches(Pattern.quote(name) + "(_bucket|_count|_sum)?[{ ].*")))
                    .as("%s is used by monitoring/ and exported", name).isTrue();
        }
    }

    private ConfigurableApplicationContext start(String... more) {
        Path config = AgentConfig.forHost(HOST, List.of(manifest.url())).repo("primary", origin.url())
                .write(tmp.resolve("agent"));
        List<String> args = new ArrayList<>(List.of("--spring.config.additional-location=file:" + config,
                "--server.port=0"));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(AgentApplication.class).run(args.toArray(String[]::new));
    }

    private static long bucketsPerTimer(String metrics, String bucket) {
        return metrics.lines().filter(l -> l.startsWith(bucket + "{")).count();
    }

    private static double value(String metrics, String sample) {
        return metrics.lines().filter(l -> l.startsWith(sample + " ")).map(l -> l.substring(sample.length() + 1))
                .mapToDouble(Double::parseDouble).findFirst().orElseThrow();
    }

    private String prometheus() {
        String port = Objects.requireNonNull(agent.getEnvironment().getProperty("local.server.port"));
        Http.Fetched response = Http.get("http://127.0.0.1:" + port + "/actuator/prometheus");
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }
}

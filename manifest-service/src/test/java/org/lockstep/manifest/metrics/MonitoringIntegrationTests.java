package org.lockstep.manifest.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.lockstep.manifest.ManifestApplication;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.ManifestConfig;
import org.lockstep.testing.manifest.Tokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a person alerts on and looks at, against the real manifest: a rollout's switch skew and prepare time as
 * histograms and on the page (in milliseconds, with where it was measured), hosts by state with per-host series only
 * for hosts that need a look, the dashboard link, and every manifest metric the shipped rules and dashboard
 * (monitoring/) use.
 */
@SpringBootTest(classes = ManifestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringIntegrationTests {

    private static final String REPO = "primary";

    private static final List<String> HOSTS = List.of("m1", "m2", "m3");

    private static final String DASHBOARD = "https://grafana.example.org/d/lockstep-fleet/lockstep-fleet";

    private static final Path ROOT = tempDir();

    private static final GitRepo UPSTREAM = GitRepo.init(ROOT.resolve("upstream"));

    private static String first;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void configuration(DynamicPropertyRegistry registry) {
        ManifestConfig config = ManifestConfig.create(ROOT.resolve("data")).pollTimeout("2s")
                .set("lockstep.manifest.page.silent-after", "3s")
                .set("lockstep.manifest.page.dashboard-url", DASHBOARD)
                .repo(REPO, UPSTREAM.url(), HOSTS);
        HOSTS.forEach(host -> config.agentToken(host, Tokens.agent(host)));
        config.token("alice", Tokens.OPERATOR, "operator")
                .properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @BeforeAll
    static void firstCommit() {
        first = UPSTREAM.commit("first schema");
    }

    @Test
    @Order(1)
    void aCompletedRolloutsSkewAndPrepareTimeAreHistogramsAndShowOnThePageInMilliseconds() {
        ManifestApi api = ManifestApi.onPort(port);
        assertThat(api.setTarget(Tokens.OPERATOR, REPO, first, "monitoring test").status()).isEqualTo(202);
        HOSTS.forEach(h -> report(api, h, null, first, null, null));
        // Host clocks, after the activation (the manifest never takes a switch for earlier than that).
        Instant switched = Instant.now().plusSeconds(1);
        report(api, "m1", first, first, null, switched);
        report(api, "m3", first, first, null, switched.plusMillis(250));
        report(api, "m2", first, first, null, switched.plusMillis(120));
        assertThat(api.get("/api/v1/repos/" + REPO).json().path("rollout").path("state").asString())
                .isEqualTo("COMPLETE");

        String metrics = scrape(api);
        assertThat(metrics).contains("lockstep_rollout_switch_skew_seconds_count{repo=\"primary\"} 1")
                .contains("lockstep_rollout_switch_skew_seconds_bucket{repo=\"primary\",le=\"0.1\"} 0")
                .contains("lockstep_rollout_switch_skew_seconds_bucket{repo=\"primary\",le=\"0.25\"} 1")
                .contains("lockstep_rollout_switch_skew_seconds_sum{repo=\"primary\"} 0.25")
                .contains("lockstep_rollout_last_switch_skew_seconds{repo=\"primary\"} 0.25")
                .contains("lockstep_rollout_prepare_seconds_count{repo=\"primary\"} 1")
                .contains("lockstep_rollout_prepare_seconds_bucket{repo=\"primary\",le=\"60.0\"} 1")
                .contains("lockstep_rollout_last_prepare_seconds{repo=\"primary\"}")
                .contains("lockstep_hosts{repo=\"primary\",state=\"serving\"} 3")
                .contains("lockstep_hosts{repo=\"primary\",state=\"lagging\"} 0")
                .contains("lockstep_repo_active_info{commit=\"" + first + "\",repo=\"primary\"} 1")
                .contains("lockstep_rollout_pending_seconds{repo=\"primary\"} 0");
        assertThat(series(metrics, "lockstep_host_state")).as("no host needs a look: no per-host series").isEmpty();

        String page = api.get("/").body();
        assertThat(page).contains(">250 ms<").contains("by the hosts&#39; clocks: m1 first, m3 last")
                .contains("href=\"" + DASHBOARD + "\"").contains("Fleet dashboard");
    }

    @Test
    @Order(2)
    void hostsThatNeedALookAreTheOnlyOnesWithSeriesOfTheirOwn() {
        ManifestApi api = ManifestApi.onPort(port);
        String second = UPSTREAM.commit("second schema");
        assertThat(api.setTarget(Tokens.OPERATOR, REPO, second, "monitoring test").status()).isEqualTo(202);
        report(api, "m1", first, second, null, null);
        report(api, "m2", first, first, "RemoteUnreachable: connection refused", null);
        report(api, "m3", null, null, null, null);

        String metrics = scrape(api);
        assertThat(metrics).contains("lockstep_hosts{repo=\"primary\",state=\"prepared\"} 1")
                .contains("lockstep_hosts{repo=\"primary\",state=\"failing\"} 1")
                .contains("lockstep_hosts{repo=\"primary\",state=\"lagging\"} 1")
                .contains("lockstep_hosts{repo=\"primary\",state=\"serving\"} 0");
        assertThat(series(metrics, "lockstep_host_state")).containsExactlyInAnyOrder(
                "{host=\"m2\",repo=\"primary\",state=\"failing\"} 1.0",
                "{host=\"m3\",repo=\"primary\",state=\"lagging\"} 1.0");
        assertThat(series(metrics, "lockstep_host_behind_seconds")).hasSize(1).allMatch(s -> s.contains("m3"));
        assertThat(series(metrics, "lockstep_rollout_blocked_hosts")).as("m2's error holds the rollout back")
                .containsExactlyInAnyOrder("{permanent=\"false\",repo=\"primary\"} 1.0",
                        "{permanent=\"true\",repo=\"primary\"} 0.0");
        assertThat(series(metrics, "lockstep_rollout_overdue")).as("no prepare-deadline")
                .containsExactly("{repo=\"primary\"} 0.0");
        assertThat(value(metrics, "lockstep_rollout_pending_seconds{repo=\"primary\"}")).isGreaterThanOrEqualTo(0);

        // Nobody reports or polls for silent-after: every host is unseen, counted once each.
        Awaitility.await("hosts unseen").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> scrape(api).contains("lockstep_hosts{repo=\"primary\",state=\"unseen\"} 3"));
        assertThat(series(scrape(api), "lockstep_host_state")).contains(
                "{host=\"m1\",repo=\"primary\",state=\"unseen\"} 1.0",
                "{host=\"m2\",repo=\"primary\",state=\"failing\"} 1.0",
                "{host=\"m3\",repo=\"primary\",state=\"lagging\"} 1.0");
    }

    @Test
    @Order(3)
    void everyManifestMetricTheShippedRulesAndDashboardUseIsExported() throws IOException {
        String metrics = scrape(ManifestApi.onPort(port));
        Set<String> used = new TreeSet<>();
        Path monitoring = Path.of("..", "monitoring");
        for (Path file : List.of(monitoring.resolve("prometheus/lockstep-rules.yml"),
                monitoring.resolve("grafana/lockstep-fleet.json"))) {
            Matcher names = Pattern.compile("lockstep_[a-z_]+").matcher(Files.readString(file));
            while (names.find()) {
                used.add(names.group().replaceAll("_(bucket|count|sum)$", ""));
            }
        }
        used.removeIf(name -> name.startsWith("lockstep_agent_"));
        assertThat(used).contains("lockstep_host_state", "lockstep_rollout_switch_skew_seconds", "lockstep_hosts");
        assertThat(used).contains("lockstep_rollout_overdue", "lockstep_rollout_blocked_hosts");
        for (String name : used) {
            String sample = Pattern.quote(name) + "(_bucket|_count|_sum)?[{ ].*";
            assertThat(metrics.lines().anyMatch(l -> l.matches(sample)))
                    .as("%s is used by monitoring/ and exported", name).isTrue();
        }
    }

    private static void report(ManifestApi api, String host, String current, String next, String error,
                               Instant switchedAt) {
        Map<String, Object> repo = new LinkedHashMap<>();
        repo.put("repo", REPO);
        repo.put("current", current);
        repo.put("next", next);
        repo.put("error", error);
        repo.put("errorCommit", null);
        repo.put("switchedAt", switchedAt == null ? null : switchedAt.toString());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sentAt", Instant.now().toString());
        body.put("revision", 0);
        body.put("repos", List.of(repo));
        assertThat(api.report(host, Tokens.agent(host), body).status()).isEqualTo(200);
    }

    private static String scrape(ManifestApi api) {
        ManifestApi.Response response = api.get("/actuator/prometheus");
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    /** The samples of one metric: everything after its name, one per line. */
    private static List<String> series(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .map(l -> l.substring(name.length())).toList();
    }

    private static double value(String metrics, String sample) {
        return metrics.lines().filter(l -> l.startsWith(sample + " ")).map(l -> l.substring(sample.length() + 1))
                .mapToDouble(Double::parseDouble).findFirst().orElseThrow();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("lockstep-monitoring-it-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

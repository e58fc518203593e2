package org.lockstep.manifest.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.lockstep.manifest.ManifestApplication;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.ManifestConfig;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The operator page with 2,000 hosts, in a real browser: the overview stays one screenful of summary (counts, the
 * hosts that need a look), and every host is a click away, page by page and by state.
 */
@SpringBootTest(classes = ManifestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FleetPageBrowserTests {

    private static final Path WORK = Path.of("target", "browser-tests", UUID.randomUUID().toString());

    private static final String CI_TOKEN = "ci-" + UUID.randomUUID();

    private static final List<String> FLEET = IntStream.range(0, 2000).mapToObj(i -> String.format("web-%04d", i))
            .toList();

    private static GitRepo upstream;

    private static Browser browser;

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void fleet(DynamicPropertyRegistry registry) {
        upstream = GitRepo.init(WORK.resolve("upstream/fleet"));
        upstream.write("a.json", "{}\n").commit("first");
        ManifestConfig config = ManifestConfig.create(WORK.resolve("data")).pollTimeout("2s")
                .repo("fleet", upstream.url(), FLEET).ciToken("ci-deploy", CI_TOKEN, List.of("fleet"));
        FLEET.forEach(host -> config.agentToken(host, agentToken(host)));
        config.properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    private static String agentToken(String host) {
        return "agent-" + host + "-" + CI_TOKEN;
    }

    @Test
    void twoThousandHostsShowAsASummaryWithTheFewThatNeedALookAndTheRestPaged() throws Exception {
        String base = "http://127.0.0.1:" + port;
        ManifestApi api = new ManifestApi(base);
        String commit = upstream.write("b.json", "{}\n").commit("for every host");
        api.setTarget(CI_TOKEN, "fleet", commit, "fleet").expect(202);
        // Every host prepares and switches, except 3 that stay behind and 1 whose verify command fails.
        List<String> behind = List.of("web-0100", "web-1200", "web-1999");
        everyHost(api, host -> Map.of("repo", "fleet", "next", commit, "current", commit));
        everyHost(api, host -> host.equals("web-0777")
                ? Map.of("repo", "fleet", "error", "verify-command exited 1", "errorCommit", commit)
                : behind.contains(host) ? Map.of("repo", "fleet", "next", commit) : null);

        browser = new Browser(base, WORK.resolve("chromium-profile"));
        browser.open("/");

        String html = browser.driver().getPageSource();
        assertThat(html.length()).as("the overview does not grow with the fleet").isLessThan(150_000);
        assertThat(browser.text("#status-fleet .state")).contains("4 of 2000 hosts lagging");
        assertThat(browser.text("#status-fleet .host-counts"))
                .contains("2000 hosts", "1 failing", "3 lagging", "1996 serving");
        assertThat(browser.count("#status-fleet tr[data-host]")).isEqualTo(4);
        assertThat(browser.text("#status-fleet tr[data-host='web-0777']")).contains("Error", "verify-command exited 1");
        assertThat(browser.text("#status-fleet tr[data-host='web-1200']")).contains("Lagging");
        browser.screenshot("08-fleet-overview");

        browser.click("#status-fleet a.all-hosts");
        assertThat(browser.text(".page-position")).contains("Hosts 1–100 of 2000");
        assertThat(browser.count("tr[data-host]")).isEqualTo(100);
        assertThat(browser.text("tr[data-host='web-0000']")).contains("Up to date");
        browser.click("a.next-page");
        assertThat(browser.text(".page-position")).contains("Hosts 101–200 of 2000");
        assertThat(browser.text("tr[data-host='web-0100']")).contains("Lagging");

        browser.open("/repos/fleet/hosts?state=failing");
        assertThat(browser.count("tr[data-host]")).isEqualTo(1);
        assertThat(browser.text("tr[data-host]")).contains("web-0777");
        browser.screenshot("09-fleet-hosts-failing");
    }

    /** Every host reports {@code repo(host)} (skipped when null), 8 at a time, as a fleet of agents would. */
    private static void everyHost(ManifestApi api, Function<String, Map<String, Object>> repo) throws Exception {
        ExecutorService agents = Executors.newFixedThreadPool(8);
        try {
            List<Future<Response>> reports = new ArrayList<>();
            for (String host : FLEET) {
                Map<String, Object> entry = repo.apply(host);
                if (entry != null) {
                    reports.add(agents.submit(() -> api.report(host, agentToken(host), Map.of("sentAt",
                            Instant.now().toString(), "repos", List.of(entry)))));
                }
            }
            for (Future<Response> report : reports) {
                assertThat(report.get().status()).isEqualTo(200);
            }
        }
        finally {
            agents.shutdownNow();
        }
    }
}

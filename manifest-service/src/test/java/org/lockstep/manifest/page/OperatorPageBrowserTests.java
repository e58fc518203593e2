package org.lockstep.manifest.page;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.lockstep.manifest.ManifestApplication;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.ManifestConfig;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator page in a real browser against a running manifest: Debian's headless Chromium through Selenium,
 * the manifest on a random port, real git repositories fetched over file:// URLs, and four hosts whose agents are
 * scripted over the real HTTP API ({@link ScriptedAgents}). The tests run in order as one on-call story (deploy, a
 * rollout that gets stuck, a rollback, a pause), and save screenshots of each state under target/screenshots.
 */
@SpringBootTest(classes = ManifestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorPageBrowserTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final Path WORK = Path.of("target", "browser-tests", UUID.randomUUID().toString());

    private static final String CI_TOKEN = "ci-" + UUID.randomUUID();

    private static final String OPERATOR_TOKEN = "op-" + UUID.randomUUID();

    private static final List<String> HOSTS = List.of("web-1", "web-2", "web-3", "web-4");

    private static final String COMMIT_URL = "https://gitlab.example.org/schemas/primary/-/commit/{commit}";

    private static String v100;

    private static String v110;

    private static String v200;

    private static String secondaryTip;

    private static ScriptedAgents agents;

    private static Browser browser;

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void fleet(DynamicPropertyRegistry registry) {
        Instant now = Instant.now();
        GitRepo primary = GitRepo.init(WORK.resolve("upstream/primary"));
        v100 = primary.write("order/1.0.0.json", "{\"type\": \"object\"}\n")
                .commitAs("Add order schema 1.0.0", "Ana Lopez", now.minus(Duration.ofHours(26)));
        v110 = primary.write("order/1.1.0.json", "{\"type\": \"object\", \"coupon\": true}\n")
                .commitAs("Add order schema 1.1.0 with optional coupon", "Ben Okafor", now.minus(Duration.ofHours(3)));
        v200 = primary.write("payment/2.0.0.json", "{\"type\": \"object\", \"amount\": \"number\"}\n")
                .commitAs("Add payment schema 2.0.0", "Chen Wei", now.minus(Duration.ofMinutes(12)));
        GitRepo secondary = GitRepo.init(WORK.resolve("upstream/secondary"));
        secondaryTip = secondary.write("inventory/3.4.0.json", "{}\n")
                .commitAs("Add inventory schema 3.4.0", "Dana Ivanova", now.minus(Duration.ofDays(2)));
        primary.close();
        secondary.close();

        ManifestConfig config = ManifestConfig.create(WORK.resolve("data")).pollTimeout("2s")
                .set("lockstep.manifest.page.stuck-after", "10s")
                .repo("primary", primary.url(), HOSTS).repoProperty("primary", "commit-url-template", COMMIT_URL)
                .repo("secondary", secondary.url(), List.of("web-1", "web-2"))
                .ciToken("ci-deploy", CI_TOKEN, List.of("primary", "secondary"))
                .token("alice", OPERATOR_TOKEN, "operator");
        HOSTS.forEach(host -> config.agentToken(host, agentToken(host)));
        config.properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    private static String agentToken(String host) {
        return "agent-" + host + "-" + CI_TOKEN;
    }

    private ManifestApi http;

    @BeforeEach
    void fleetAndBrowser() {
        http = new ManifestApi(base());
        if (agents == null) {
            agents = new ScriptedAgents(base());
            for (String host : HOSTS) {
                agents.start(host, agentToken(host),
                        host.equals("web-1") || host.equals("web-2") ? Set.of("primary", "secondary")
                                : Set.of("primary"));
            }
        }
        if (browser == null) {
            browser = new Browser(base(), WORK.resolve("chromium-profile"));
        }
        agents.release(HOSTS.toArray(String[]::new));
        browser.forgetSession();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (agents != null) {
            agents.close();
        }
    }

    @Test
    @Order(1)
    void showsWhatEachHostServesAndWhatChanged() throws Exception {
        deploy("primary", v100, "first order schemas");
        deploy("primary", v110, "order 1.1.0 for the coupon launch");
        deploy("secondary", secondaryTip, "inventory 3.4.0");

        browser.open("/");

        assertThat(browser.text("#status-primary .state")).contains("\u2713").contains("Up to date");
        assertThat(browser.text("#status-primary .summary")).contains("All 4 hosts serve " + shortId(v110));
        assertThat(browser.text("#status-primary .active")).contains(shortId(v110),
                "Add order schema 1.1.0 with optional coupon", "Ben Okafor", "committed 3 h", "UTC");
        assertThat(browser.attribute("#status-primary .active a.sha", "href"))
                .isEqualTo(COMMIT_URL.replace("{commit}", v110));
        assertThat(browser.text("#status-primary .target")).contains("nothing pending");
        for (String host : HOSTS) {
            String row = browser.text("#status-primary tr[data-host='" + host + "']");
            assertThat(row).contains(host, "Up to date", shortId(v110), "just now").doesNotContain("Lagging");
        }
        String newest = browser.text("#status-primary tr[data-rollout]");
        assertThat(newest).contains(shortId(v110), "ci-deploy", "order 1.1.0 for the coupon launch", "Complete");
        assertThat(browser.count("#status-primary tr[data-rollout]")).isEqualTo(2);
        assertThat(browser.text("#status-secondary .state")).contains("Up to date");
        // Read-only for someone who has not signed in.
        assertThat(browser.text("header.top")).contains("Read-only view", "Sign in");
        assertThat(browser.count("details.actions")).isZero();
        browser.screenshot("01-overview");
    }

    @Test
    @Order(2)
    void showsRolloutProgressAndWhoItWaitsForWithoutReload() throws Exception {
        ensureActive("primary", v110);
        browser.open("/");
        browser.script("window.lockstepNotReloaded = true;");
        assertThat(browser.find("html").getAttribute("data-live-updates")).isEqualTo("on");
        agents.hold("web-3", "web-4");

        http.setTarget(CI_TOKEN, "primary", v200, "payment schema 2.0.0", false).expect(202);

        browser.awaitText("#status-primary .progress-text", "2 of 4 hosts ready", WAIT);
        assertThat(browser.text("#status-primary .waiting-hosts")).isEqualTo("web-3, web-4");
        assertThat(browser.text("#status-primary .target")).contains(shortId(v200), "Add payment schema 2.0.0");
        agents.release("web-3");
        browser.awaitText("#status-primary .progress-text", "3 of 4 hosts ready", WAIT);
        browser.awaitText("#status-primary .state", "Preparing " + shortId(v200), WAIT);
        assertThat(browser.text("#status-primary tr[data-host='web-4']")).contains("Preparing");
        assertThat(browser.text("#status-primary tr[data-host='web-3']")).contains("Ready");
        browser.screenshot("02-rollout-in-progress");

        agents.fail("web-4", "verify-command failed: payment/2.0.0.json: unexpected token at line 3");
        browser.awaitText("#status-primary .state", "Stuck: error on web-4", WAIT);
        browser.awaitText("#status-primary tr[data-host='web-4'] .error-text", "unexpected token at line 3", WAIT);
        assertThat(browser.text("#status-primary .waiting")).contains("Waiting for web-4 for");
        // Still the active commit everywhere: nothing switched while one host was not ready.
        assertThat(browser.text("#status-primary .active")).contains(shortId(v110));
        browser.screenshot("03-rollout-stuck");

        agents.release("web-4");
        browser.awaitText("#status-primary .state", "Up to date", WAIT);
        assertThat(browser.text("#status-primary .active")).contains(shortId(v200));
        assertThat(browser.text("#status-primary tr[data-rollout]")).contains("Complete").containsPattern("\\d s");
        assertThat(browser.script("return window.lockstepNotReloaded === true;")).isEqualTo(true);
    }

    @Test
    @Order(3)
    void operatorSignsInRollsBackAndSeesTheRollbackComplete() throws Exception {
        ensureActive("primary", v200);
        browser.open("/signin");
        browser.screenshot("04-signin");
        signIn();
        assertThat(browser.text(".flash")).contains("Signed in as alice");
        assertThat(browser.text("header.top")).contains("Signed in as alice");

        browser.openActions("primary");
        new Select(browser.find("#actions-primary .action-rollback select[name=commit]")).selectByValue(v110);
        browser.find("#actions-primary .action-rollback input[name=reason]")
                .sendKeys("payment 2.0.0 breaks the billing consumer");
        browser.find("#actions-primary .action-rollback input[name=confirm]").click();
        browser.screenshot("05-rollback-form");
        browser.find("#actions-primary .action-rollback button[type=submit]").click();

        browser.awaitText(".flash", "Rollback of primary to " + shortId(v110) + " started", WAIT);
        browser.awaitText("#status-primary .state", "Up to date", WAIT);
        browser.awaitText("#status-primary .active", shortId(v110), WAIT);
        String newest = browser.text("#status-primary tr[data-rollout]");
        assertThat(newest).contains(shortId(v110), "rollback", "alice", "payment 2.0.0 breaks the billing consumer",
                "Complete");
        browser.screenshot("06-rollback-complete");

        Map<?, ?> status = repo("primary");
        assertThat(status.get("active")).isEqualTo(v110);
        Map<?, ?> rollout = (Map<?, ?>) status.get("rollout");
        assertThat(rollout.get("createdBy")).isEqualTo("alice");
        assertThat(rollout.get("rollback")).isEqualTo(true);
        for (String host : HOSTS) {
            assertThat(agents.current(host, "primary")).isEqualTo(v110);
        }
    }

    @Test
    @Order(4)
    void operatorPausesCancelsAndResumesWithAReasonEach() throws Exception {
        ensureActive("primary", v110);
        browser.open("/signin");
        signIn();

        // Without the confirmation nothing happens, even when the browser does not enforce the checkbox.
        browser.openActions("primary");
        browser.find("#actions-primary .action-pause input[name=reason]").sendKeys("freeze");
        browser.script("document.querySelector('#actions-primary .action-pause input[name=confirm]')"
                + ".removeAttribute('required');");
        browser.find("#actions-primary .action-pause button[type=submit]").click();
        browser.awaitText(".flash", "Nothing was done: tick \u201cI confirm\u201d to pause primary", WAIT);
        assertThat(repo("primary").get("paused")).isEqualTo(false);

        submit("pause", "change freeze for incident 4711");
        browser.awaitText(".flash", "Activation of primary is paused", WAIT);
        assertThat(browser.text("#status-primary tr[data-rollout]"))
                .contains("paused by alice: change freeze for incident 4711");
        http.setTarget(CI_TOKEN, "primary", v200, "payment schema 2.0.0, second try", false).expect(202);
        browser.awaitText("#status-primary .state", "Paused", WAIT);
        browser.awaitText("#status-primary .summary", "All 4 hosts have " + shortId(v200) + " ready", WAIT);
        assertThat(browser.text("#status-primary .active")).contains(shortId(v110));
        browser.screenshot("07-paused");

        // The cancel form came with the live update: the rollout started after the page was loaded.
        browser.await(WAIT, d -> browser.count("#actions-primary .action-cancel") == 1);
        submit("cancel", "not during the freeze");
        browser.awaitText(".flash", "cancelled", WAIT);
        browser.awaitText("#status-primary tr[data-rollout]", "cancelled by alice: not during the freeze", WAIT);
        submit("resume", "freeze over");
        browser.awaitText(".flash", "Activation of primary resumed", WAIT);
        browser.awaitText("#status-primary .state", "Up to date", WAIT);
        assertThat(browser.text("#status-primary .active")).contains(shortId(v110));
        assertThat(repo("primary").get("target")).isNull();

        browser.click("header.top button.link");
        browser.awaitText(".flash", "Signed out", WAIT);
        assertThat(browser.text("header.top")).contains("Read-only view");
        assertThat(browser.count("details.actions")).isZero();
    }

    @Test
    @Order(5)
    void signedOutUserCannotActEvenWithAForgedForm() throws Exception {
        Map<?, ?> before = repo("primary");
        browser.open("/");
        assertThat(browser.count("details.actions")).isZero();
        assertThat(browser.count("form[action*='/repos/']")).isZero();

        // A form posted from elsewhere: no session, no CSRF token. A browser gets the reason in words.
        Response forged = http.postForm("/repos/primary/pause", null, Map.of("reason", "x", "confirm", "yes"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("Nothing was done").doesNotContain("Exception");
        assertThat(http.postForm("/repos/primary/rollback", null,
                Map.of("commit", v100, "reason", "x", "confirm", "yes")).status()).isEqualTo(403);
        // A session and a valid CSRF token are not enough without signing in as an operator.
        Response signInPage = http.get("/signin");
        String cookie = sessionCookie(signInPage);
        String csrf = csrfToken(signInPage.body());
        assertThat(http.postForm("/repos/primary/pause", cookie,
                Map.of("_csrf", csrf, "reason", "x", "confirm", "yes")).status()).isEqualTo(403);
        // A signed-in operator's session without the page's CSRF token (cross-site request) is refused too.
        signIn();
        assertThat(http.postForm("/repos/primary/pause", "JSESSIONID=" + browser.cookie("JSESSIONID"),
                Map.of("reason", "x", "confirm", "yes")).status()).isEqualTo(403);
        // A token that is not an operator's does not sign in.
        browser.forgetSession();
        browser.open("/signin");
        browser.find("#token").sendKeys(CI_TOKEN);
        browser.find(".signin-form button[type=submit]").click();
        browser.awaitText(".flash", "That is not an operator token", WAIT);
        // The API refuses without a bearer token, whatever the page does.
        Response api = http.post("/api/v1/repos/primary/pause", null, "{}");
        assertThat(api.status()).isEqualTo(401);
        // Webhooks authenticate with their own shared secret: the page's session and CSRF rules stay out of their
        // way (here the hook is not configured, and its controller says so).
        Response hook = http.post("/hooks/gitlab", null, "{}");
        assertThat(hook.status()).isNotEqualTo(403);
        assertThat(hook.body()).contains("webhook");

        Map<?, ?> after = repo("primary");
        assertThat(after.get("paused")).isEqualTo(before.get("paused"));
        assertThat(after.get("revision")).isEqualTo(before.get("revision"));
        assertThat(after.get("active")).isEqualTo(before.get("active"));
    }

    @Test
    @Order(6)
    void pageReadsAndActsWithJavaScriptOff() throws Exception {
        ensureActive("primary", v110);
        try (Browser plain = new Browser(base(), WORK.resolve("chromium-profile-nojs"), false)) {
            plain.open("/");
            // The page's script did not run: no live updates, yet everything is there.
            assertThat(plain.find("html").getAttribute("data-live-updates")).isNull();
            assertThat(plain.text("#status-primary .state")).contains("Up to date");
            assertThat(plain.text("#status-primary tr[data-host='web-4']")).contains("Up to date", shortId(v110));

            plain.open("/signin");
            plain.find("#token").sendKeys(OPERATOR_TOKEN);
            plain.find(".signin-form button[type=submit]").click();
            plain.awaitText("header.top", "Signed in as alice", WAIT);
            plain.openActions("primary");
            plain.find("#actions-primary .action-pause input[name=reason]").sendKeys("no-script pause");
            plain.find("#actions-primary .action-pause input[name=confirm]").click();
            plain.find("#actions-primary .action-pause button[type=submit]").click();
            plain.awaitText(".flash", "Activation of primary is paused", WAIT);
            assertThat(plain.text("#status-primary .state")).contains("Paused");
            assertThat(repo("primary").get("paused")).isEqualTo(true);

            plain.openActions("primary");
            plain.find("#actions-primary .action-resume input[name=reason]").sendKeys("no-script resume");
            plain.find("#actions-primary .action-resume input[name=confirm]").click();
            plain.find("#actions-primary .action-resume button[type=submit]").click();
            plain.awaitText(".flash", "Activation of primary resumed", WAIT);
            assertThat(repo("primary").get("paused")).isEqualTo(false);
        }
    }

    // --- helpers ---

    private void signIn() {
        browser.open("/signin");
        browser.find("#token").sendKeys(OPERATOR_TOKEN);
        browser.find(".signin-form button[type=submit]").click();
        browser.awaitText("header.top", "Signed in as alice", WAIT);
    }

    /** Fills and submits one of the repository's action forms with a reason and the confirmation. */
    private void submit(String action, String reason) {
        String form = "#actions-primary .action-" + action;
        browser.openActions("primary");
        browser.find(form + " input[name=reason]").sendKeys(reason);
        browser.find(form + " input[name=confirm]").click();
        browser.find(form + " button[type=submit]").click();
    }

    private void deploy(String repo, String commit, String reason) {
        http.setTarget(CI_TOKEN, repo, commit, reason, false).expect(202);
        http.awaitComplete(repo, commit, WAIT);
    }

    /** Makes {@code commit} active whatever ran before, so each test also runs on its own. */
    private void ensureActive(String repo, String commit) {
        Map<?, ?> status = repo(repo);
        if (commit.equals(status.get("active")) && status.get("target") == null && !(Boolean) status.get("paused")) {
            return;
        }
        if (Boolean.TRUE.equals(status.get("paused"))) {
            http.action(OPERATOR_TOKEN, repo, "resume", "test setup");
        }
        http.setTarget(OPERATOR_TOKEN, repo, commit, "test setup", true).expect(202);
        http.awaitComplete(repo, commit, WAIT);
    }

    /** {@code GET /api/v1/repos/{repo}} as a map, as a script reading the JSON would see it. */
    private Map<?, ?> repo(String repo) {
        return ManifestApi.JSON.convertValue(http.repo(repo), Map.class);
    }

    private static String sessionCookie(Response response) {
        return response.header("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie"));
    }

    private static String csrfToken(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("the form carries a CSRF token").isTrue();
        return m.group(1);
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private static String shortId(String commit) {
        return commit.substring(0, 8);
    }
}

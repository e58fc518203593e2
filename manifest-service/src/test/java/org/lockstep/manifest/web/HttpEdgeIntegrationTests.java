package org.lockstep.manifest.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.manifest.testing.SharedManifest;
import org.lockstep.testing.RawHttp;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.Problem;
import org.lockstep.testing.manifest.Tokens;

import tools.jackson.databind.JsonNode;

/**
 * The edges of HTTP itself, over real sockets: pages far past the end, HEAD on the open reads, redirects after
 * sign-in whatever {@code Host} the client claims, and what Tomcat answers before any servlet runs (raw requests,
 * since HTTP clients normalize URLs and refuse bad headers).
 */
class HttpEdgeIntegrationTests extends SharedManifest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @ParameterizedTest
    @ValueSource(strings = {"page=2147483647&size=100", "page=21474837&size=100", "page=1073741824&size=2"})
    void pageFarPastTheEndIsEmptyNotTheFirstPage(String query) {
        target("other", upstream("other").commit("something in the history"));

        JsonNode page = api.get("/api/v1/repos/other/rollouts?" + query).expect(200).json();

        assertThat(page.path("total").asLong()).isPositive();
        assertThat(page.path("items").size()).as("items of %s", query).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/repos", "/api/v1/repos/other", "/api/v1/repos/other/rollouts?size=1",
        "/actuator/health"})
    void headOnAnOpenReadAnswersAsGetDoesWithoutTheBody(String path) {
        target("other", upstream("other").commit("for HEAD"));
        Response get = api.get(path);

        Response head = api.send(api.request(path, null).method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(head.status()).as("HEAD %s: %s", path, head).isEqualTo(get.status()).isEqualTo(200);
        assertThat(head.contentType()).isEqualTo(get.contentType());
        assertThat(head.body()).isEmpty();
    }

    @Test
    void headOnOneRolloutIsOpenToo() {
        long id = target("other", upstream("other").commit("one rollout"));

        Response head = api.send(api.request("/api/v1/rollouts/" + id, null)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(head.status()).as("%s", head).isEqualTo(200);
    }

    @Test
    void redirectsAfterSignInAndSignOutNeverNameTheHostTheClientClaimed() {
        Response form = api.get("/signin");
        String cookie = form.header("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
        String csrf = csrf(form.body());

        RawHttp.Answer refused = post("/signin", cookie, "token=not-a-token&_csrf=" + csrf);
        RawHttp.Answer signedIn = post("/signin", cookie, "token=" + Tokens.OPERATOR + "&_csrf=" + csrf);
        String session = signedIn.header("set-cookie").map(c -> c.substring(0, c.indexOf(';'))).orElse(cookie);
        String pageCsrf = csrf(RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: evil.example\r\nCookie: " + session,
                "", TIMEOUT).body());
        RawHttp.Answer signedOut = post("/signout", session, "_csrf=" + pageCsrf);

        for (RawHttp.Answer answer : List.of(refused, signedIn, signedOut)) {
            assertThat(answer.status()).as("%s", answer).isEqualTo(302);
            assertThat(answer.header("location").orElseThrow()).as("%s", answer).startsWith("/")
                    .doesNotContain("evil.example");
        }
        assertThat(signedIn.header("location")).as("signed in: back to the page").contains("/");
        assertThat(refused.header("location")).contains("/signin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /api/v1/repos/%zz HTTP/1.1", "GET /api/v1/repos/a%2Fb HTTP/1.1",
        "GET /api/v1/repos/x%00y HTTP/1.1", "GET /api/v1/repos/a|b HTTP/1.1", "GET /api/v1/repos/%e2%28 HTTP/1.1",
        "GET /api/v1/repos/\u0001 HTTP/1.1", "G@T /api/v1/repos HTTP/1.1", "GET /api/v1/repos HTTP/9.9",
        "GET api/v1/repos HTTP/1.1"})
    void whatTomcatRefusesItselfIsAProblemDetail(String requestLine) {
        assertContainerProblem(RawHttp.exchange(port, requestLine + "\r\nHost: manifest", "", TIMEOUT));
    }

    @Test
    void oversizedHeadersAndAMissingHostAreProblemDetails() {
        assertContainerProblem(RawHttp.exchange(port, "GET /api/v1/repos HTTP/1.1\r\nHost: manifest\r\nX-Big: "
                + "a".repeat(20_000), "", TIMEOUT));
        assertContainerProblem(RawHttp.exchange(port, "GET /api/v1/repos?" + "q=1&".repeat(5000)
                + " HTTP/1.1\r\nHost: manifest", "", TIMEOUT));
        assertContainerProblem(RawHttp.exchange(port, "GET /api/v1/repos HTTP/1.1", "", TIMEOUT));
        assertContainerProblem(RawHttp.exchange(port, "POST /hooks/gitlab HTTP/1.1\r\nHost: manifest\r\n"
                + "Transfer-Encoding: gzip, chunked", "", TIMEOUT));
    }

    private static void assertContainerProblem(RawHttp.Answer answer) {
        assertThat(answer.status()).as("%s", answer).isBetween(400, 499);
        assertThat(answer.header("content-type").orElse("")).as("%s", answer)
                .startsWith("application/problem+json");
        assertThat(answer.body()).as("%s", answer).contains("\"type\":\"" + Problem.TYPE_PREFIX)
                .contains("\"status\":" + answer.status());
    }

    private RawHttp.Answer post(String path, String cookie, String form) {
        return RawHttp.exchange(port, "POST " + path + " HTTP/1.1\r\nHost: evil.example\r\nCookie: " + cookie
                + "\r\nContent-Type: application/x-www-form-urlencoded", form, TIMEOUT);
    }

    private static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a form with a CSRF token in %s", html).isTrue();
        return m.group(1);
    }
}

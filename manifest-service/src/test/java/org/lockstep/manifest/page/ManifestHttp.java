package org.lockstep.manifest.page;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The manifest's HTTP side as CI, an operator's script or an attacker sees it: plain requests, no browser. */
final class ManifestHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    private final String baseUrl;

    private final Duration timeout;

    ManifestHttp(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
    }

    void setTarget(String repo, String commit, String token, boolean rollback, String reason) throws Exception {
        HttpResponse<String> response = api("PUT", "/api/v1/repos/" + repo + "/target", token,
                JSON.writeValueAsString(Map.of("commit", commit, "reason", reason, "rollback", rollback)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    /** Waits until {@code commit} is active and its rollout complete: every host serves it. */
    void awaitComplete(String repo, String commit) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            Map<?, ?> status = repo(repo);
            Map<?, ?> rollout = (Map<?, ?>) status.get("rollout");
            return commit.equals(status.get("active")) && rollout != null && "COMPLETE".equals(rollout.get("state"));
        });
    }

    /** {@code GET /api/v1/repos/{repo}} as a map. */
    Map<?, ?> repo(String repo) throws Exception {
        HttpResponse<String> response = api("GET", "/api/v1/repos/" + repo, null, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readValue(response.body(), Map.class);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> api(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a form as a browser would (or a forged page elsewhere), with the given cookie header or none. */
    HttpResponse<String> postForm(String path, String cookie, Map<String, String> fields) throws Exception {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String sessionCookie(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie"));
    }

    static String csrfToken(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("the form carries a CSRF token").isTrue();
        return m.group(1);
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}

package org.lockstep.testing.manifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one client of the manifest's HTTP API in tests: real sockets (HTTP/1.1, as agents and curl speak it), JSON
 * through Jackson, a bearer token per call, and every answer a {@link Response} whose problem detail, if it is one,
 * reads as a typed {@link Problem}. Raw requests ({@link #request}, {@link #send(HttpRequest.Builder)}) are there for
 * tests that send what no well-behaved client would.
 */
public final class ManifestApi {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final String baseUrl;

    private final Duration timeout;

    private final HttpClient client;

    public ManifestApi(String baseUrl) {
        this(baseUrl, DEFAULT_TIMEOUT);
    }

    private ManifestApi(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The manifest on {@code 127.0.0.1:port}. */
    public static ManifestApi onPort(int port) {
        return new ManifestApi("http://127.0.0.1:" + port);
    }

    /** The same server with another per-request timeout. */
    public ManifestApi withTimeout(Duration requestTimeout) {
        return new ManifestApi(baseUrl, requestTimeout);
    }

    public String baseUrl() {
        return baseUrl;
    }

    // The endpoints, by name (docs/api.md).

    /** {@code PUT /api/v1/repos/{repo}/target}. */
    public Response setTarget(String token, String repo, String commit, String reason) {
        return put("/api/v1/repos/" + repo + "/target", token, Map.of("commit", commit, "reason", reason));
    }

    /** {@code PUT /api/v1/repos/{repo}/target} with the rollback flag. */
    public Response setTarget(String token, String repo, String commit, String reason, boolean rollback) {
        return put("/api/v1/repos/" + repo + "/target", token, Map.of("commit", commit, "reason", reason,
                "rollback", rollback));
    }

    /** {@code POST /api/v1/repos/{repo}/rollback}. */
    public Response rollback(String token, String repo, String commit, String reason) {
        return post("/api/v1/repos/" + repo + "/rollback", token, Map.of("commit", commit, "reason", reason));
    }

    /** {@code POST /api/v1/repos/{repo}/{action}}: {@code pause}, {@code resume}, {@code cancel}, {@code retry}. */
    public Response action(String token, String repo, String action, String reason) {
        return post("/api/v1/repos/" + repo + "/" + action, token, Map.of("reason", reason));
    }

    /** {@code POST /api/v1/agents/{host}/report} with {@code report} (a protocol record or a map). */
    public Response report(String host, String token, Object report) {
        return post("/api/v1/agents/" + host + "/report", token, report);
    }

    /** {@code GET /api/v1/repos/{repo}}, which must answer 200. */
    public JsonNode repo(String repo) {
        return get("/api/v1/repos/" + repo).expect(200).json();
    }

    /** {@code GET /api/v1/repos/{repo}/rollouts?size=100}, newest first. */
    public JsonNode rollouts(String repo) {
        return get("/api/v1/repos/" + repo + "/rollouts?size=100").expect(200).json();
    }

    /** Every rollout of {@code repo}, newest first, page by page (the history can be longer than one page). */
    public List<JsonNode> rolloutHistory(String repo) {
        List<JsonNode> all = new ArrayList<>();
        for (int page = 0; ; page++) {
            JsonNode items = get("/api/v1/repos/" + repo + "/rollouts?size=100&page=" + page).expect(200).json()
                    .get("items");
            items.valueStream().forEach(all::add);
            if (items.size() < 100) {
                return all;
            }
        }
    }

    /** The active commit of {@code repo}, or null when there is none. */
    public String active(String repo) {
        JsonNode active = repo(repo).path("active");
        return active.isString() ? active.asString() : null;
    }

    /** Waits until {@code commit} is active and its rollout {@code COMPLETE}: every expected host serves it. */
    public void awaitComplete(String repo, String commit, Duration atMost) {
        Awaitility.await("rollout of " + commit + " complete in " + repo).atMost(atMost)
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    JsonNode status = repo(repo);
                    return commit.equals(status.path("active").asString())
                            && "COMPLETE".equals(status.path("rollout").path("state").asString());
                });
    }

    // Plain requests.

    public Response get(String path) {
        return get(path, null);
    }

    public Response get(String path, String token) {
        return send(request(path, token).GET());
    }

    /** A GET answered later: a long-poll held by the server. */
    public CompletableFuture<Response> getAsync(String path, String token) {
        return client.sendAsync(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(Response::of);
    }

    /** A string body is sent as it is (so tests can send broken JSON); anything else is serialized. */
    public Response put(String path, String token, Object body) {
        return send("PUT", path, token, body);
    }

    /** {@link #put}'s body rules; a null body sends none. */
    public Response post(String path, String token, Object body) {
        return send("POST", path, token, body);
    }

    public Response send(String method, String path, String token, Object body) {
        HttpRequest.Builder request = request(path, token);
        if (body == null) {
            return send(request.method(method, HttpRequest.BodyPublishers.noBody()));
        }
        return send(request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json(body))));
    }

    /** Posts a form as a browser would (or a forged page elsewhere), with the given cookie header or none. */
    public Response postForm(String path, String cookie, Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder request = request(path, null).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request);
    }

    /** A request to {@code path} with the bearer token, if any, for a method, header or body of the test's own. */
    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    public Response send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            return Response.of(client.send(built, HttpResponse.BodyHandlers.ofString()));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " failed", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static String json(Object body) {
        return body instanceof String text ? text : JSON.writeValueAsString(body);
    }

    /** Status, content type, headers and body of one answer. */
    public record Response(int status, String contentType, Map<String, List<String>> headers, String body) {

        static Response of(HttpResponse<String> response) {
            HttpHeaders headers = response.headers();
            return new Response(response.statusCode(), headers.firstValue("Content-Type").orElse(null),
                    new LinkedHashMap<>(headers.map()), response.body());
        }

        /** The body as JSON (a {@code MissingNode} for an empty body). */
        public JsonNode json() {
            return body.isEmpty() ? JSON.missingNode() : JSON.readTree(body);
        }

        /** Fails unless the status is {@code expected}; for chaining. */
        public Response expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected HTTP " + expected + " but got " + this);
            }
            return this;
        }

        /** The problem detail, when the answer is {@code application/problem+json}. */
        public Optional<Problem> problem() {
            if (contentType == null || !contentType.startsWith("application/problem+json")) {
                return Optional.empty();
            }
            return Optional.of(Problem.of(json()));
        }

        /** Every value of one header (case-insensitive name). */
        public List<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).toList();
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }
}

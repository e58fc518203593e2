package org.lockstep.manifest.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockstep.manifest.testing.ManifestSetup;
import org.lockstep.manifest.testing.SharedManifest;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.Problem;
import org.lockstep.testing.manifest.Tokens;

import tools.jackson.databind.JsonNode;

/**
 * Every endpoint against hostile input: wildcard, absent, garbage and unknown-charset content types, truncated and
 * wrongly typed JSON, null and empty entries, numbers too big for their field, empty bodies, deep nesting, bad query
 * parameters. Each answer is a 4xx problem detail with a {@code urn:lockstep:problem:} type, never a 5xx, and the
 * repository reads exactly as before. The webhooks are called with their right secrets, so the body is what is judged.
 */
class HostileInputIntegrationTests extends SharedManifest {

    private static final String REPO = "hostile";

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    private static final String HUGE = "99999999999999999999999";

    /** {@code method path token extra-headers} of each endpoint that takes a JSON body. */
    private record Endpoint(String name, String method, String path, String token, Map<String, String> headers) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Endpoint> BODY_ENDPOINTS = List.of(
            new Endpoint("target", "PUT", "/api/v1/repos/" + REPO + "/target", Tokens.OPERATOR, Map.of()),
            new Endpoint("rollback", "POST", "/api/v1/repos/" + REPO + "/rollback", Tokens.OPERATOR, Map.of()),
            new Endpoint("pause", "POST", "/api/v1/repos/" + REPO + "/pause", Tokens.OPERATOR, Map.of()),
            new Endpoint("resume", "POST", "/api/v1/repos/" + REPO + "/resume", Tokens.OPERATOR, Map.of()),
            new Endpoint("cancel", "POST", "/api/v1/repos/" + REPO + "/cancel", Tokens.OPERATOR, Map.of()),
            new Endpoint("report", "POST", "/api/v1/agents/h5/report", Tokens.agent("h5"), Map.of()),
            new Endpoint("gitlab", "POST", "/hooks/gitlab", null, Map.of("X-Gitlab-Event", "Push Hook",
                    "X-Gitlab-Token", ManifestSetup.GITLAB_SECRET)),
            new Endpoint("gerrit", "POST", "/hooks/gerrit", null, Map.of("X-Lockstep-Token",
                    ManifestSetup.GERRIT_SECRET)));

    /** A body each endpoint would accept, sent with a content type that is not JSON. */
    private static final Map<String, String> ACCEPTABLE = Map.of(
            "target", "{\"commit\":\"" + COMMIT + "\"}",
            "rollback", "{\"commit\":\"" + COMMIT + "\"}",
            "pause", "{\"reason\":\"x\"}",
            "resume", "{\"reason\":\"x\"}",
            "cancel", "{\"reason\":\"x\"}",
            "report", "{\"repos\":[]}",
            "gitlab", "{\"ref\":\"refs/heads/main\"}",
            "gerrit", "{\"type\":\"ref-updated\"}");

    private static final List<String> CONTENT_TYPES = List.of("application/*", "*/*", "*", "application/*+json",
            "text/plain", "application/xml", "garbage", ";;;", "application/json; charset=no-such-charset",
            "application/json; charset=\"", "");

    /** Bodies no endpoint accepts. */
    private static final List<String> BROKEN_FOR_ALL = List.of("{", "[]", "\"text\"", "42", "{\"a\":1}}",
            "[".repeat(5000) + "]".repeat(5000), "{\"reason\":" + "[".repeat(3000) + "]".repeat(3000) + "}",
            "\u0000", "{\"reason\":\"\\ud800\"", "{\"reason\":" + "9".repeat(20000) + "}");

    /** Bodies that are wrong for one endpoint in particular. */
    private static final Map<String, List<String>> BROKEN = Map.of(
            "target", List.of("", "null", "{}", "{\"commit\":null}", "{\"commit\":5}", "{\"commit\":[]}",
                    "{\"commit\":{}}", "{\"commit\":\"" + COMMIT + "\",\"rollback\":\"yes\"}",
                    "{\"commit\":\"" + COMMIT + "\",\"reason\":{}}",
                    "{\"commit\":\"" + COMMIT + "\",\"reason\":\"" + "r".repeat(2001) + "\"}",
                    "{\"commit\":\"" + COMMIT.toUpperCase() + "\"}", "{\"commit\":\"main\"}"),
            "rollback", List.of("", "null", "{}", "{\"commit\":null}", "{\"commit\":1e400}", "{\"commit\":true}"),
            "pause", List.of("{\"reason\":{}}", "{\"reason\":[]}", "{\"reason\":\"" + "r".repeat(2001) + "\"}"),
            "resume", List.of("{\"reason\":{}}", "{\"reason\":[1]}"),
            "cancel", List.of("{\"rollout\":\"abc\"}", "{\"rollout\":" + HUGE + "}", "{\"rollout\":[]}",
                    "{\"rollout\":1e400}", "{\"reason\":{}}", "{\"rollout\":-1}"),
            "report", List.of("", "null", "{\"repos\":[{}]}", "{\"repos\":[null]}", "{\"repos\":[{\"repo\":null,"
                    + "\"current\":\"" + COMMIT + "\"}]}", "{\"repos\":\"hostile\"}", "{\"repos\":[1]}",
                    "{\"repos\":[{\"repo\":\"hostile\",\"current\":\"not-a-commit\"}]}",
                    "{\"repos\":[{\"repo\":\"hostile\",\"next\":5}]}", "{\"revision\":\"x\"}",
                    "{\"revision\":" + HUGE + "}", "{\"revision\":1e400}", "{\"sentAt\":\"yesterday\"}",
                    "{\"sentAt\":" + HUGE + "}", "{\"sentAt\":[]}",
                    "{\"repos\":[{\"repo\":\"hostile\",\"switchedAt\":\"x\"}]}",
                    "{\"repos\":[{\"repo\":{},\"current\":null}]}"),
            "gitlab", List.of("", "null", "{\"project\":\"x\"}", "{\"ref\":[]}", "{\"project\":{\"path_with_"
                    + "namespace\":[]}}", push(null), push("not-a-commit"), push("5"), push(COMMIT.substring(0, 12))),
            "gerrit", List.of("", "null", "{\"type\":[]}", "{\"type\":\"ref-updated\",\"refUpdate\":\"x\"}",
                    refUpdated(null), refUpdated("HEAD"), "{\"type\":\"ref-updated\",\"refUpdate\":{\"project\":"
                            + "\"schemas/hostile\",\"refName\":{},\"newRev\":\"" + COMMIT + "\"}}"));

    /** {@code GET path} (or another method) with query or path input that cannot be right. */
    private static final List<String[]> REQUESTS = List.of(
            new String[] {"GET", "/api/v1/agents/h5/desired?since=abc", Tokens.agent("h5")},
            new String[] {"GET", "/api/v1/agents/h5/desired?since=" + HUGE, Tokens.agent("h5")},
            new String[] {"GET", "/api/v1/agents/h5/desired?since=1e3", Tokens.agent("h5")},
            new String[] {"GET", "/api/v1/agents/H3/desired?since=0", Tokens.agent("h5")},
            new String[] {"GET", "/api/v1/agents/h5%2E%2E/desired", Tokens.agent("h5")},
            new String[] {"GET", "/api/v1/repos/" + REPO + "/rollouts?page=abc", null},
            new String[] {"GET", "/api/v1/repos/" + REPO + "/rollouts?size=" + HUGE, null},
            new String[] {"GET", "/api/v1/repos/" + REPO + "/rollouts?page=" + HUGE, null},
            new String[] {"GET", "/api/v1/repos/" + REPO + "/rollouts?page=-2147483648", null},
            new String[] {"GET", "/api/v1/rollouts/" + HUGE, null},
            new String[] {"GET", "/api/v1/rollouts/abc", null},
            new String[] {"GET", "/api/v1/rollouts/-1", null},
            new String[] {"GET", "/api/v1/repos/%E2%80%AE", null},
            new String[] {"GET", "/api/v1/repos/UPPER", null},
            new String[] {"GET", "/error", null},
            new String[] {"POST", "/error", null},
            new String[] {"GET", "/error?status=500", null},
            new String[] {"DELETE", "/api/v1/repos/" + REPO, Tokens.OPERATOR},
            new String[] {"PATCH", "/api/v1/repos/" + REPO + "/target", Tokens.OPERATOR},
            new String[] {"GET", "/api/v1/repos/" + REPO + "/target", null},
            new String[] {"POST", "/api/v1/agents/h5/desired", Tokens.agent("h5")});

    static Stream<Arguments> bodies() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : BODY_ENDPOINTS) {
            for (String type : CONTENT_TYPES) {
                cases.add(Arguments.of(endpoint, type.isEmpty() ? null : type, ACCEPTABLE.get(endpoint.name())));
            }
            for (String body : BROKEN_FOR_ALL) {
                cases.add(Arguments.of(endpoint, "application/json", body));
            }
            for (String body : BROKEN.get(endpoint.name())) {
                cases.add(Arguments.of(endpoint, "application/json", body));
            }
        }
        return cases.stream();
    }

    static Stream<Arguments> requests() {
        return REQUESTS.stream().map(r -> Arguments.of(r[0], r[1], r[2]));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("bodies")
    void hostileBodyIsA4xxProblemAndChangesNothing(Endpoint endpoint, String contentType, String body) {
        JsonNode before = api.repo(REPO);
        JsonNode hostsBefore = api.get("/api/v1/repos/" + REPO + "/hosts").expect(200).json().path("items");
        HttpRequest.Builder request = api.request(endpoint.path(), endpoint.token())
                .method(endpoint.method(), body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        endpoint.headers().forEach(request::header);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }

        assertClientProblem(api.send(request));
        JsonNode after = api.repo(REPO);
        assertThat(after.path("revision")).as("revision").isEqualTo(before.path("revision"));
        assertThat(after.path("target")).as("target").isEqualTo(before.path("target"));
        assertThat(after.path("paused")).as("paused").isEqualTo(before.path("paused"));
        assertThat(api.get("/api/v1/repos/" + REPO + "/hosts").expect(200).json().path("items"))
                .as("what the host reported").isEqualTo(hostsBefore);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("requests")
    void hostileQueryOrPathIsA4xxProblem(String method, String path, String token) {
        assertClientProblem(api.send(api.request(path, token).method(method, HttpRequest.BodyPublishers.noBody())));
    }

    private static void assertClientProblem(Response response) {
        assertThat(response.status()).as("status of %s", response).isBetween(400, 499);
        assertThat(response.contentType()).as("content type of %s", response).startsWith("application/problem+json");
        Problem problem = response.problem().orElseThrow();
        assertThat(problem.type()).as("type of %s", response).startsWith(Problem.TYPE_PREFIX);
        assertThat(problem.status()).as("status in the body of %s", response).isEqualTo(response.status());
    }

    private static String push(String after) {
        return "{\"ref\":\"refs/heads/main\",\"project\":{\"path_with_namespace\":\"schemas/hostile\"},\"after\":"
                + (after == null ? "null" : "\"" + after + "\"") + "}";
    }

    private static String refUpdated(String newRev) {
        return "{\"type\":\"ref-updated\",\"refUpdate\":{\"project\":\"schemas/hostile\",\"refName\":\"main\","
                + "\"newRev\":" + (newRev == null ? "null" : "\"" + newRev + "\"") + "}}";
    }
}

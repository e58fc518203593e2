package org.lockstep.manifest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstep.testing.manifest.Problem.assertProblem;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.manifest.testing.ManifestSetup;
import org.lockstep.manifest.testing.SharedManifest;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.Tokens;

import tools.jackson.databind.JsonNode;

/**
 * Every bad input to the write endpoints gets its status and stable problem type, and changes nothing: the
 * repository reads the same before and after. Works on the repository {@code inputs} (host h3).
 */
class TargetInputIntegrationTests extends SharedManifest {

    private static final String REPO = "inputs";

    private static final String TARGET = "/api/v1/repos/" + REPO + "/target";

    @Test
    void commitNotOnTheBranchIsRefused() {
        String side = upstream(REPO).commitOn("feature", "unmerged change");
        String before = repoJson(REPO);

        assertProblem(setTarget(REPO, side, Tokens.OPERATOR), 409, "commit-not-on-branch");
        assertProblem(setTarget(REPO, side, Tokens.CI), 409, "commit-not-on-branch");

        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @Test
    void commitThatExistsNowhereIsNotOnTheBranch() {
        String before = repoJson(REPO);

        assertProblem(setTarget(REPO, "0123456789abcdef0123456789abcdef01234567", Tokens.CI), 409,
                "commit-not-on-branch");

        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @Test
    void ancestorOfTheActiveCommitNeedsRollback() {
        String older = upstream(REPO).commit("older");
        String newer = upstream(REPO).commit("newer");
        activate(REPO, newer);
        String before = repoJson(REPO);

        Response refused = api.put(TARGET, Tokens.OPERATOR, Map.of("commit", older, "rollback", false));

        assertProblem(refused, 409, "not-a-descendant");
        assertProblem(setTarget(REPO, older, Tokens.CI), 409, "not-a-descendant");
        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @Test
    void sameCommitTwiceIsTheSameRollout() {
        String commit = upstream(REPO).commit("twice");

        Response first = setTarget(REPO, commit, Tokens.CI);
        String between = repoJson(REPO);
        Response second = setTarget(REPO, commit, Tokens.CI);

        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        assertThat(second.json().path("id").asLong()).isEqualTo(first.json().path("id").asLong());
        assertThat(second.json().path("state").asString()).isEqualTo("PREPARING");
        assertThat(repoJson(REPO)).isEqualTo(between);
        assertThat(api.get("/api/v1/repos/" + REPO + "/rollouts?size=100").json().path("items").valueStream()
                .filter(r -> r.path("commit").asString().equals(commit)).count()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope", "UPPER", "...", "a..b", ".hidden", "-dash", "a_b"})
    void unknownRepositoryIsNotFoundAndNoDirectoryIsMade(String name) throws IOException {
        String commit = upstream(REPO).commit("for an unknown repository");
        List<Path> before = dataDirContents();

        assertProblem(api.get("/api/v1/repos/" + name), 404, "unknown-repository");
        assertProblem(api.get("/api/v1/repos/" + name + "/rollouts"), 404, "unknown-repository");
        assertProblem(setTarget(name, commit, Tokens.OPERATOR), 404, "unknown-repository");
        assertProblem(setTarget(name, commit, Tokens.CI), 404, "unknown-repository");
        assertProblem(api.post("/api/v1/repos/" + name + "/rollback", Tokens.OPERATOR, Map.of("commit", commit)),
                404, "unknown-repository");
        for (String action : List.of("pause", "resume", "cancel")) {
            assertProblem(api.post("/api/v1/repos/" + name + "/" + action, Tokens.OPERATOR, Map.of()), 404,
                    "unknown-repository");
        }

        assertThat(dataDirContents()).isEqualTo(before);
        assertThat(dataDirContents()).noneMatch(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                .contains(name.toLowerCase(Locale.ROOT)));
    }

    /** A raw {@code ..} segment never reaches a controller: the firewall refuses the unnormalized path. */
    @ParameterizedTest
    @ValueSource(strings = {"..", "%2e%2e", "%2E%2E", "inputs%2F..", ".%2e"})
    void dotDotInThePathIsRefusedAndNoDirectoryIsMade(String name) throws IOException {
        String commit = upstream(REPO).commit("for a dot-dot path");
        List<Path> before = dataDirContents();
        String repoBefore = repoJson(REPO);

        Response get = api.get("/api/v1/repos/" + name);
        Response put = setTarget(name, commit, Tokens.OPERATOR);

        for (Response response : List.of(get, put)) {
            assertThat(response.status()).as("%s", response).isIn(400, 404);
            assertThat(response.status()).as("%s", response).isNotEqualTo(202);
        }
        assertThat(dataDirContents()).isEqualTo(before);
        assertThat(repoJson(REPO)).isEqualTo(repoBefore);
    }

    @Test
    void dotDotSegmentIsAProblemDetail() {
        assertProblem(api.get("/api/v1/repos/.."), 400, "invalid-input");
        assertProblem(setTarget("..", "0123456789abcdef0123456789abcdef01234567", Tokens.OPERATOR), 400,
                "invalid-input");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abbreviated", "ref-name", "upper-case", "refs/heads/main", "HEAD", "empty", "too-long",
            "39-chars", "sha256-upper"})
    void malformedCommitIsInvalidInput(String kind) {
        String full = upstream(REPO).commit("malformed " + kind);
        String commit = switch (kind) {
            case "abbreviated" -> full.substring(0, 7);
            case "ref-name" -> "main";
            case "upper-case" -> full.toUpperCase(Locale.ROOT);
            case "empty" -> "";
            case "too-long" -> full + "0";
            case "39-chars" -> full.substring(0, 39);
            case "sha256-upper" -> (full + full).substring(0, 64).toUpperCase(Locale.ROOT);
            default -> kind;
        };
        String before = repoJson(REPO);

        Response response = setTarget(REPO, commit, Tokens.CI);

        assertProblem(response, 400, "invalid-input");
        assertThat(response.json().path("field").asString()).isEqualTo("commit");
        assertProblem(api.post("/api/v1/repos/" + REPO + "/rollback", Tokens.OPERATOR, Map.of("commit", commit)), 400,
                "invalid-input");
        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @Test
    void missingCommitIsInvalidInput() {
        String before = repoJson(REPO);

        assertProblem(api.put(TARGET, Tokens.CI, Map.of("reason", "no commit")), 400, "invalid-input");
        assertProblem(api.post("/api/v1/repos/" + REPO + "/rollback", Tokens.OPERATOR, Map.of("reason", "x")), 400,
                "invalid-input");

        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @Test
    void reasonLongerThanTwoThousandCharactersIsInvalidInput() {
        String commit = upstream(REPO).commit("long reason");
        String before = repoJson(REPO);

        Response response = api.put(TARGET, Tokens.CI, Map.of("commit", commit, "reason", "x".repeat(2001)));

        assertProblem(response, 400, "invalid-input");
        assertThat(response.json().path("field").asString()).isEqualTo("reason");
        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"commit\":", "not json", "[]", "", "{\"commit\": \"x\" \"reason\": 1}"})
    void malformedJsonIsMalformedBody(String body) {
        String before = repoJson(REPO);

        assertProblem(api.put(TARGET, Tokens.CI, body), 400, "malformed-body");
        assertProblem(api.post("/api/v1/agents/h3/report", Tokens.agent("h3"), body), 400, "malformed-body");

        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"commit\": \"0123456789abcdef0123456789abcdef01234567\", \"rollback\": \"maybe\"}",
            "{\"commit\": \"0123456789abcdef0123456789abcdef01234567\", \"rollback\": [true]}",
            "{\"commit\": {\"id\": \"0123456789abcdef0123456789abcdef01234567\"}}"})
    void wronglyTypedFieldIsMalformedBody(String body) {
        String before = repoJson(REPO);

        assertProblem(api.put(TARGET, Tokens.CI, body), 400, "malformed-body");

        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @Test
    void bodyOverTheLimitIsTooLarge() {
        String commit = upstream(REPO).commit("large body");
        String before = repoJson(REPO);
        String padding = "x".repeat(64 * 1024);

        Response target = api.put(TARGET, Tokens.CI, Map.of("commit", commit, "reason", padding));
        Response report = api.post("/api/v1/agents/h3/report", Tokens.agent("h3"),
                "{\"repos\": [], \"padding\": \"" + padding + "\"}");
        Response anonymous = api.put(TARGET, null, Map.of("commit", commit, "reason", padding));

        assertProblem(target, 413, "body-too-large");
        assertProblem(report, 413, "body-too-large");
        assertProblem(anonymous, 413, "body-too-large");
        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @Test
    void bodyJustUnderTheLimitIsRead() {
        String commit = upstream(REPO).commit("body under the limit");
        String json = "{\"commit\": \"" + commit + "\", \"reason\": \"ok\", \"pad\": \"\"}";
        String padded = json.replace("\"pad\": \"\"", "\"pad\": \"" + "x".repeat(64 * 1024 - json.length()) + "\"");
        assertThat(padded).hasSize(64 * 1024);

        Response response = api.put(TARGET, Tokens.CI, padded);

        assertThat(response.status()).as("%s", response).isEqualTo(202);
    }

    /** Without a Content-Length the limit still holds: the body is refused once it passes it. */
    @Test
    void chunkedBodyOverTheLimitIsTooLarge() {
        String commit = upstream(REPO).commit("chunked");
        String before = repoJson(REPO);
        byte[] body = ("{\"commit\": \"" + commit + "\", \"reason\": \"" + "x".repeat(70 * 1024) + "\"}")
                .getBytes();

        Response response = api.send(api.request(TARGET, Tokens.CI).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

        assertProblem(response, 413, "body-too-large");
        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @Test
    void wrongMediaTypeAndMethodAreProblems() {
        String before = repoJson(REPO);

        assertProblem(api.send(api.request(TARGET, Tokens.CI).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("{}"))), 415, "unsupported-media-type");
        assertProblem(api.send(api.request(TARGET, Tokens.CI).DELETE()), 405, "method-not-allowed");
        assertProblem(api.get("/no-such-page"), 404, "not-found");

        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @Test
    void cancelWithNothingPendingIsAConflict() {
        String commit = upstream(REPO).commit("cancel nothing");
        activate(REPO, commit);
        String before = repoJson(REPO);

        assertProblem(api.post("/api/v1/repos/" + REPO + "/cancel", Tokens.OPERATOR, Map.of("reason", "oops")), 409,
                "nothing-to-cancel");
        assertProblem(api.post("/api/v1/repos/" + REPO + "/cancel", Tokens.OPERATOR, null), 409,
                "nothing-to-cancel");

        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    @Test
    void cancelOfARolloutThatIsNoLongerPendingIsAConflict() {
        long first = target(REPO, upstream(REPO).commit("first"));
        long second = target(REPO, upstream(REPO).commit("second"));
        String before = repoJson(REPO);

        assertProblem(api.post("/api/v1/repos/" + REPO + "/cancel", Tokens.OPERATOR, Map.of("rollout", first)), 409,
                "nothing-to-cancel");

        assertThat(repoJson(REPO)).isEqualTo(before);
        Response cancelled = api.post("/api/v1/repos/" + REPO + "/cancel", Tokens.OPERATOR, Map.of("rollout", second));
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().path("state").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void targetSetBetweenTheOperatorsReadAndTheCancelIsNotCancelled() {
        target(REPO, upstream(REPO).commit("what the operator sees"));
        long seen = api.get("/api/v1/repos/" + REPO).json().path("rollout").path("id").asLong();
        String newer = upstream(REPO).commit("set while the operator decides");
        long replacement = target(REPO, newer);

        assertProblem(api.post("/api/v1/repos/" + REPO + "/cancel", Tokens.OPERATOR,
                Map.of("rollout", seen, "reason", "wrong commit")), 409, "nothing-to-cancel");

        JsonNode repo = api.get("/api/v1/repos/" + REPO).json();
        assertThat(repo.path("target").asString()).as("the newer target is still the target").isEqualTo(newer);
        assertThat(repo.path("rollout").path("id").asLong()).isEqualTo(replacement);
        assertThat(repo.path("rollout").path("state").asString()).isEqualTo("PREPARING");
        assertThat(api.get("/api/v1/rollouts/" + seen).json().path("state").asString()).isEqualTo("SUPERSEDED");
    }

    @Test
    void unreachableRemoteIsABadGateway() {
        String commit = upstream(REPO).commit("for the unreachable repository");
        String before = repoJson(ManifestSetup.UNREACHABLE);

        assertProblem(setTarget(ManifestSetup.UNREACHABLE, commit, Tokens.CI), 502, "remote-unreachable");

        assertThat(repoJson(ManifestSetup.UNREACHABLE)).isEqualTo(before);
    }

    @Test
    void malformedReportIsInvalidInput() {
        String before = repoJson(REPO);

        Response badCommit = report("h3", REPO, "main", null);
        Response badHost = api.post("/api/v1/agents/H3/report", Tokens.agent("h3"), report(REPO, null, null));

        assertProblem(badCommit, 400, "invalid-input");
        assertThat(badCommit.json().path("field").asString()).isEqualTo("current");
        assertProblem(badHost, 400, "invalid-input");
        assertProblem(api.get("/api/v1/agents/h3/desired?since=abc", Tokens.agent("h3")), 400, "invalid-input");
        assertThat(repoJson(REPO)).isEqualTo(before);
    }

    /** h3 serves {@code inputs} and {@code roles}: one bad entry must not let the good one through. */
    @Test
    void reportWithOneBadEntryChangesNoRepository() {
        String commit = upstream("roles").commit("prepared by h3");
        String inputsBefore = repoJson(REPO);
        String rolesBefore = repoJson("roles");
        Map<String, Object> good = Map.of("repo", "roles", "next", commit);
        Map<String, Object> bad = Map.of("repo", REPO, "next", "not-a-commit");

        Response response = api.post("/api/v1/agents/h3/report", Tokens.agent("h3"),
                Map.of("sentAt", java.time.Instant.now().toString(), "repos", List.of(good, bad)));

        assertProblem(response, 400, "invalid-input");
        assertThat(response.json().path("field").asString()).isEqualTo("next");
        assertThat(repoJson(REPO)).isEqualTo(inputsBefore);
        assertThat(repoJson("roles")).isEqualTo(rolesBefore);
    }

    private static List<Path> dataDirContents() throws IOException {
        try (Stream<Path> paths = Files.walk(dataDir(), 2)) {
            return paths.sorted().toList();
        }
    }
}

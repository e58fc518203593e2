package org.lockstep.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The manifest's REST API as CI and operators use it: plain HTTP with a bearer token. */
final class ManifestApi {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;

    ManifestApi(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** The response status and body of one call. */
    record Response(int status, JsonNode body) {

        Response expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected HTTP " + expected + " but got " + status + ": " + body);
            }
            return this;
        }
    }

    Response setTarget(String token, String repo, String commit, String reason) {
        return send("PUT", "/api/v1/repos/" + repo + "/target", token,
                JSON.createObjectNode().put("commit", commit).put("reason", reason).toString());
    }

    Response rollback(String token, String repo, String commit, String reason) {
        return send("POST", "/api/v1/repos/" + repo + "/rollback", token,
                JSON.createObjectNode().put("commit", commit).put("reason", reason).toString());
    }

    Response action(String token, String repo, String action, String reason) {
        return send("POST", "/api/v1/repos/" + repo + "/" + action, token,
                JSON.createObjectNode().put("reason", reason).toString());
    }

    JsonNode repo(String repo) {
        return send("GET", "/api/v1/repos/" + repo, null, null).expect(200).body();
    }

    JsonNode rollouts(String repo) {
        return send("GET", "/api/v1/repos/" + repo + "/rollouts?size=100", null, null).expect(200).body();
    }

    /** The active commit, or null. */
    String active(String repo) {
        JsonNode active = repo(repo).get("active");
        return active == null || active.isNull() ? null : active.asString();
    }

    Response send(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Response(response.statusCode(), text.isEmpty() ? JSON.nullNode() : JSON.readTree(text));
        }
        catch (IOException ex) {
            throw new IllegalStateException(method + " " + path + " failed: " + ex, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}

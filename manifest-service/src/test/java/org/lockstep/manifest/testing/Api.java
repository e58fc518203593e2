package org.lockstep.manifest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the manifest's API: real sockets, JSON in and out, no Spring on the client side. */
public final class Api {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;

    private final HttpClient client;

    public Api(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public Response get(String path) {
        return get(path, null);
    }

    public Response get(String path, String token) {
        return send(request(path, token).GET());
    }

    public CompletableFuture<Response> getAsync(String path, String token) {
        return client.sendAsync(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(Response::of);
    }

    public Response put(String path, String token, Object body) {
        return send(request(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    public Response post(String path, String token, Object body) {
        HttpRequest.Builder request = request(path, token);
        if (body == null) {
            return send(request.POST(HttpRequest.BodyPublishers.noBody()));
        }
        return send(request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    /** A request to {@code path} with the bearer token, if any, for tests that need an unusual method or body. */
    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    public Response send(HttpRequest.Builder request) {
        try {
            return Response.of(client.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** A string is sent as it is (so tests can send broken JSON); anything else is serialized. */
    private static String json(Object body) {
        return body instanceof String text ? text : JSON.writeValueAsString(body);
    }

    /** Status, content type and body of one response. */
    public record Response(int status, String contentType, String body) {

        static Response of(HttpResponse<String> response) {
            return new Response(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null), response.body());
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** The problem type's slug, e.g. {@code not-a-descendant} for {@code urn:lockstep:problem:not-a-descendant}. */
        public String problemType() {
            return json().path("type").asString();
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }
}

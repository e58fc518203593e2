package org.lockstep.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The manifest's public HTTP API, over the JDK's HttpClient. The URLs are tried in order: a URL that cannot be
 * connected to, times out, or answers with a server error (5xx) hands the request to the next one, and the first
 * one that answers is used for the rest of the command. A 4xx is the manifest's answer, not a failure to reach it:
 * it ends the command with {@link ExitCode#REFUSED} and the problem detail in words. Requests are safe to repeat on
 * another manifest: a target is idempotent for the same commit, pause and resume are, and a cancel names its
 * rollout when the caller gave one.
 */
final class ManifestClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** Setting a target fetches the branch first, so a write may take a while on a slow git server. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private static final int MAX_BODY_IN_MESSAGE = 300;

    private final List<URI> bases;

    private final String token;

    private final JsonMapper json;

    private final Output output;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private int preferred;

    /**
     * @param bases the manifest URLs, in the order to try them
     * @param token the bearer token, or {@code null} (reads are open)
     */
    ManifestClient(List<URI> bases, String token, JsonMapper json, Output output) {
        this.bases = List.copyOf(bases);
        this.token = token;
        this.json = json;
        this.output = output;
    }

    boolean hasToken() {
        return token != null;
    }

    <T> T get(String path, Class<T> type) {
        return send("GET", path, null, type);
    }

    <T> T put(String path, Object body, Class<T> type) {
        return send("PUT", path, body, type);
    }

    <T> T post(String path, Object body, Class<T> type) {
        return send("POST", path, body, type);
    }

    private <T> T send(String method, String path, Object body, Class<T> type) {
        List<String> failures = new ArrayList<>();
        for (int attempt = 0; attempt < bases.size(); attempt++) {
            int index = (preferred + attempt) % bases.size();
            URI uri = resolve(bases.get(index), path);
            HttpResponse<String> response;
            long started = System.nanoTime();
            output.verbose(method + " " + uri);
            try {
                response = http.send(request(method, uri, body), HttpResponse.BodyHandlers.ofString());
            }
            catch (IOException ex) {
                output.verbose(uri + ": " + describe(ex));
                failures.add(bases.get(index) + ": " + describe(ex));
                continue;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new CliFailure(ExitCode.UNREACHABLE, "interrupted while calling " + uri);
            }
            output.verbose(response.statusCode() + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            if (response.statusCode() >= 500) {
                failures.add(bases.get(index) + ": " + problem(response).words());
                continue;
            }
            preferred = index;
            if (response.statusCode() >= 400) {
                throw refused(problem(response));
            }
            return read(response, type);
        }
        throw new CliFailure(ExitCode.UNREACHABLE, "no manifest reachable: " + String.join("; ", failures));
    }

    private HttpRequest request(String method, URI uri, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", "lockstep-cli/" + Lockstep.version());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body),
                        StandardCharsets.UTF_8)).build();
    }

    private <T> T read(HttpResponse<String> response, Class<T> type) {
        try {
            return json.readValue(response.body(), type);
        }
        catch (JacksonException ex) {
            throw new CliFailure(ExitCode.UNREACHABLE, response.uri() + " answered " + response.statusCode()
                    + " with a body that is not the API's JSON: " + excerpt(response.body()));
        }
    }

    private Views.Problem problem(HttpResponse<String> response) {
        String body = response.body();
        try {
            Views.Problem problem = json.readValue(body, Views.Problem.class);
            if (problem != null && (problem.type() != null || problem.detail() != null)) {
                return problem.status() == null ? new Views.Problem(problem.type(), problem.title(),
                        response.statusCode(), problem.detail(), problem.field()) : problem;
            }
        }
        catch (JacksonException ex) {
            // Not a problem detail (a proxy's error page, say): report the start of the body instead.
        }
        return new Views.Problem(null, null, response.statusCode(), body == null || body.isBlank() ? null
                : excerpt(body), null);
    }

    private CliFailure refused(Views.Problem problem) {
        String hint = problem.status() != null && problem.status() == 401
                ? " (check LOCKSTEP_TOKEN or --token-file)" : "";
        return new CliFailure(ExitCode.REFUSED, problem.words() + hint);
    }

    static URI resolve(URI base, String path) {
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + path);
    }

    private static String describe(IOException ex) {
        if (ex instanceof HttpConnectTimeoutException) {
            return "could not connect within " + DurationConverter.format(CONNECT_TIMEOUT);
        }
        if (ex instanceof HttpTimeoutException) {
            return "no answer within " + DurationConverter.format(REQUEST_TIMEOUT);
        }
        if (ex instanceof ConnectException) {
            return ex.getMessage() == null ? "could not connect" : "could not connect: " + ex.getMessage();
        }
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    }

    private static String excerpt(String body) {
        String flat = body.replaceAll("\\s+", " ").trim();
        return flat.length() <= MAX_BODY_IN_MESSAGE ? flat : flat.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }
}

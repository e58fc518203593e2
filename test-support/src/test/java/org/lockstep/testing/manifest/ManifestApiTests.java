package org.lockstep.testing.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a JDK HTTP server that answers as the manifest would: JSON, problem details, tokens. */
class ManifestApiTests {

    HttpServer server;

    final List<String> seen = new CopyOnWriteArrayList<>();

    ManifestApi api;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        api = ManifestApi.onPort(server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void sendsJsonWithTheBearerTokenAndReadsProblemsAsTypes() {
        ManifestApi.Response response = api.setTarget(Tokens.CI, "primary", "abc", "because");

        assertThat(seen).containsExactly("PUT /api/v1/repos/primary/target Bearer " + Tokens.CI + " application/json");
        Problem problem = Problem.assertProblem(response, 409, "not-a-descendant");
        assertThat(problem.slug()).isEqualTo("not-a-descendant");
        assertThat(problem.title()).isEqualTo("Conflict");
        assertThatThrownBy(() -> response.expect(202)).hasMessageContaining("expected HTTP 202 but got 409");
    }

    @Test
    void aPlainAnswerIsNoProblem() {
        ManifestApi.Response response = api.get("/api/v1/repos/primary").expect(200);

        assertThat(response.problem()).isEmpty();
        assertThat(response.json().path("active").asString()).isEqualTo("abc");
        assertThat(api.active("primary")).isEqualTo("abc");
        assertThat(response.header("x-answered-by")).containsExactly("test");
        assertThatThrownBy(() -> Problem.assertProblem(response, 200, "anything")).isInstanceOf(AssertionError.class);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type"));
            exchange.getResponseHeaders().set("X-Answered-By", "test");
            if (exchange.getRequestMethod().equals("PUT")) {
                assertThat(ManifestApi.JSON.readValue(body, Map.class)).containsEntry("commit", "abc");
                send(exchange, 409, "application/problem+json", """
                        {"type": "urn:lockstep:problem:not-a-descendant", "title": "Conflict", "status": 409,
                         "detail": "abc is not a descendant of the active commit"}""");
            }
            else {
                send(exchange, 200, "application/json", "{\"repo\": \"primary\", \"active\": \"abc\"}");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}

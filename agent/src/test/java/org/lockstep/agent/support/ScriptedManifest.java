package org.lockstep.agent.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.lockstep.protocol.AgentReport;
import org.lockstep.protocol.DesiredState;
import org.lockstep.protocol.DesiredState.RepoDesired;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for the manifest service on real HTTP, scripted by the test: it serves the two agent endpoints of the
 * protocol with the long-poll semantics (answer at once when the revision differs from {@code since}, else hold
 * until a change or the hold time), checks the bearer token and records every report. The real manifest and the
 * real agent meet in system-tests.
 */
public final class ScriptedManifest implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String token;

    private final Duration hold;

    private final List<AgentReport> reports = new CopyOnWriteArrayList<>();

    private final List<String> requests = new CopyOnWriteArrayList<>();

    private final List<String> rawReports = new CopyOnWriteArrayList<>();

    private final Map<String, RepoDesired> repos = new LinkedHashMap<>();

    private volatile int refuseReports;

    /** While set, polls are held without an answer; reports are still answered with the desired state. */
    private boolean pollsFrozen;

    private String storeId;

    private long revision;

    private HttpServer server;

    private int port;

    public ScriptedManifest(String token, String storeId, long revision, Duration hold) {
        this.token = token;
        this.storeId = storeId;
        this.revision = revision;
        this.hold = hold;
    }

    public ScriptedManifest start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/api/v1/agents/", this::handle);
        server.start();
        port = server.getAddress().getPort();
        return this;
    }

    /** Stops answering; {@link #start()} serves again on the same port. */
    public void stop() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Sets one repository's desired state and bumps the revision, waking every held poll. */
    public synchronized void set(String repo, String active, String target) {
        set(repo, active, target, 0);
    }

    /** {@link #set(String, String, String)} with the operator's retry generation of the target. */
    public synchronized void set(String repo, String active, String target, long retry) {
        repos.put(repo, new RepoDesired(repo, "https://git.example.org/" + repo, "main", active, target,
                target == null ? null : 1L, retry));
        revision++;
        notifyAll();
    }

    /** Replaces the whole state, revision included (a stale instance, a rebuilt store). */
    public synchronized void reset(String newStoreId, long newRevision) {
        storeId = newStoreId;
        revision = newRevision;
        notifyAll();
    }

    /** Answers reports with {@code status} (after recording them) instead of the desired state; 0 accepts again. */
    public void refuseReports(int status) {
        refuseReports = status;
    }

    /**
     * From now on every poll is held without an answer (however long its hold), so only the answers to reports
     * carry what {@link #set} changes (a manifest that answers the report before the held polls).
     */
    public synchronized void freezePolls() {
        pollsFrozen = true;
    }

    public synchronized DesiredState desired() {
        return new DesiredState(storeId, revision, new ArrayList<>(repos.values()));
    }

    public List<AgentReport> reports() {
        return List.copyOf(reports);
    }

    /** Report bodies as sent, to check the JSON itself. */
    public List<String> rawReports() {
        return List.copyOf(rawReports);
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Waits for a report whose repository entry matches. */
    public AgentReport awaitReport(String repo, Predicate<AgentReport.RepoReport> matches, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (AgentReport report : reports) {
                if (report.repos().stream().anyMatch(r -> r.repo().equals(repo) && matches.test(r))) {
                    return report;
                }
            }
            sleep(50);
        }
        throw new AssertionError("no matching report for " + repo + " within " + timeout + "; got " + reports);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                problem(exchange, 401, "unauthorized");
                return;
            }
            if (exchange.getRequestMethod().equals("GET") && path.endsWith("/desired")) {
                String query = exchange.getRequestURI().getQuery();
                long since = parameter(query, "since").orElse(0);
                // As the manifest does: a poll asking to wait less than the hold is answered by then.
                Duration wait = parameter(query, "wait").stream().mapToObj(Duration::ofSeconds)
                        .filter(w -> w.compareTo(hold) < 0).findFirst().orElse(hold);
                send(exchange, 200, JSON.writeValueAsBytes(awaitChange(since, wait)));
            }
            else if (exchange.getRequestMethod().equals("POST") && path.endsWith("/report")) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                rawReports.add(body);
                if (refuseReports != 0) {
                    problem(exchange, refuseReports, "refused");
                    return;
                }
                reports.add(JSON.readValue(body, AgentReport.class));
                send(exchange, 200, JSON.writeValueAsBytes(desired()));
            }
            else {
                problem(exchange, 404, "not found");
            }
        }
    }

    private static OptionalLong parameter(String query, String name) {
        return query == null ? OptionalLong.empty() : Arrays.stream(query.split("&"))
                .filter(p -> p.startsWith(name + "=")).mapToLong(p -> Long.parseLong(p.substring(name.length() + 1)))
                .findFirst();
    }

    private synchronized DesiredState awaitChange(long since, Duration wait) {
        long deadline = System.currentTimeMillis() + wait.toMillis();
        while (pollsFrozen || revision == since && System.currentTimeMillis() < deadline) {
            try {
                wait(pollsFrozen ? 0 : Math.max(1, deadline - System.currentTimeMillis()));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return desired();
    }

    private static void problem(HttpExchange exchange, int status, String title) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        byte[] body = ("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + "}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (server != null) {
            stop();
        }
    }
}

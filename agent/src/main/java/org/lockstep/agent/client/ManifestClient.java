package org.lockstep.agent.client;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.lockstep.protocol.AgentReport;
import org.lockstep.protocol.DesiredState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to the manifest over HTTP: the long-poll for the desired state and the report. Each call tries the
 * manifest URLs in order starting with the one that answered last, so a dead instance costs one failed attempt,
 * not a backoff; only when every URL failed does the caller back off.
 *
 * <p>Plain blocking HTTP/1.1 ({@link HttpURLConnection}, kept alive): the answer is read on the calling thread
 * itself, so between the manifest's bytes arriving and the agent acting on them there is no hand-over to another
 * thread (the JDK's {@code HttpClient} reads on its selector thread and hands over twice), which under load costs
 * milliseconds on the switch path. {@link #abort} closes the connections in use, to end a held long-poll at once.
 */
public final class ManifestClient {

    private static final Logger log = LoggerFactory.getLogger(ManifestClient.class);

    private final List<RestClient> clients;

    private final List<String> urls;

    private final String host;

    private final Set<HttpURLConnection> inUse = ConcurrentHashMap.newKeySet();

    private final ThreadLocal<HttpURLConnection> current = new ThreadLocal<>();

    private volatile int preferred;

    public ManifestClient(List<String> urls, String host, String token, Duration readTimeout) {
        this.urls = List.copyOf(urls);
        this.host = host;
        SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory() {

            @Override
            protected void prepareConnection(HttpURLConnection connection, String method) throws IOException {
                super.prepareConnection(connection, method);
                current.set(connection);
                inUse.add(connection);
            }
        };
        factory.setConnectTimeout(Duration.ofSeconds(5));
        factory.setReadTimeout(readTimeout);
        // Unknown fields are ignored so the manifest can add to the protocol without breaking deployed agents, and a
        // field an older manifest does not send reads as its default (RepoDesired.retry as 0).
        JsonMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();
        this.clients = this.urls.stream().map(url -> RestClient.builder()
                .baseUrl(stripSlash(url))
                .requestFactory(factory)
                .configureMessageConverters(c -> c.withJsonConverter(new JacksonJsonHttpMessageConverter(json)))
                .defaultHeader("Authorization", "Bearer " + token)
                .build()).toList();
    }

    /** {@code GET /api/v1/agents/{host}/desired?since=N}: held by the manifest until something newer than N. */
    public DesiredState poll(long since) throws ManifestUnavailable {
        return poll(since, null);
    }

    /**
     * The long-poll, held at most {@code wait} ({@code &wait=S}, whole seconds rounded up; {@code null}: as long as
     * the manifest holds polls). A manifest that does not know the parameter ignores it and holds the poll as usual.
     */
    public DesiredState poll(long since, Duration wait) throws ManifestUnavailable {
        if (wait == null) {
            return call("poll", client -> client.get()
                    .uri("/api/v1/agents/{host}/desired?since={since}", host, since)
                    .retrieve().body(DesiredState.class));
        }
        long seconds = Math.max(0, (wait.toMillis() + 999) / 1000);
        return call("poll", client -> client.get()
                .uri("/api/v1/agents/{host}/desired?since={since}&wait={wait}", host, since, seconds)
                .retrieve().body(DesiredState.class));
    }

    /** {@code POST /api/v1/agents/{host}/report}; the answer is the desired state at that moment. */
    public DesiredState report(AgentReport report) throws ManifestUnavailable {
        return call("report", client -> client.post()
                .uri("/api/v1/agents/{host}/report", host)
                .body(report)
                .retrieve().body(DesiredState.class));
    }

    /** Moves to the next URL for the following calls, e.g. after the current one served a stale state. */
    public void avoidCurrent() {
        preferred = (preferred + 1) % urls.size();
    }

    /** The URL that answered last, for logs. */
    public String currentUrl() {
        return urls.get(preferred);
    }

    /** Closes every connection a call is using now (a held poll, a report on its way): those calls fail at once. */
    public void abort() {
        inUse.forEach(HttpURLConnection::disconnect);
    }

    private DesiredState call(String what, Function<RestClient, DesiredState> request) throws ManifestUnavailable {
        int start = preferred;
        StringBuilder failures = new StringBuilder();
        RestClientException last = null;
        for (int i = 0; i < urls.size(); i++) {
            int index = (start + i) % urls.size();
            try {
                DesiredState answer = send(request, clients.get(index));
                if (answer == null || answer.storeId() == null) {
                    throw new RestClientException("empty or incomplete desired state");
                }
                if (index != start) {
                    log.warn("event=manifest-failover host={} from={} to={}", host, urls.get(start),
                            urls.get(index));
                }
                preferred = index;
                return answer;
            }
            catch (RestClientException e) {
                last = e;
                failures.append(failures.isEmpty() ? "" : "; ").append(urls.get(index)).append(": ")
                        .append(describe(e));
            }
        }
        throw new ManifestUnavailable(what + " failed on every manifest url: " + failures, last);
    }

    private DesiredState send(Function<RestClient, DesiredState> request, RestClient client) {
        try {
            return request.apply(client);
        }
        finally {
            HttpURLConnection used = current.get();
            if (used != null) {
                inUse.remove(used);
                current.remove();
            }
        }
    }

    private static String describe(RestClientException e) {
        if (e instanceof RestClientResponseException response) {
            return "HTTP " + response.getStatusCode().value() + " " + response.getResponseBodyAsString()
                    .replaceAll("\\s+", " ");
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}

package org.lockstep.agent.client;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.lockstep.protocol.AgentReport;
import org.lockstep.protocol.DesiredState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
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
 */
public final class ManifestClient {

    private static final Logger log = LoggerFactory.getLogger(ManifestClient.class);

    private final List<RestClient> clients;

    private final List<String> urls;

    private final String host;

    private volatile int preferred;

    public ManifestClient(List<String> urls, String host, String token, Duration readTimeout) {
        this.urls = List.copyOf(urls);
        this.host = host;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
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

    private DesiredState call(String what, Function<RestClient, DesiredState> request) throws ManifestUnavailable {
        int start = preferred;
        StringBuilder failures = new StringBuilder();
        RestClientException last = null;
        for (int i = 0; i < urls.size(); i++) {
            int index = (start + i) % urls.size();
            try {
                DesiredState answer = request.apply(clients.get(index));
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

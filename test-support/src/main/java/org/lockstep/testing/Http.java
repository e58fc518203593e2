package org.lockstep.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A plain GET, for what is not the manifest's API (an agent's actuator, nginx, etcd's health): the status and the
 * body, or status -1 when nothing answered. The manifest's API has {@link org.lockstep.testing.manifest.ManifestApi}.
 */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {
    }

    /** Status and body of one GET; status -1 when nothing answered. */
    public record Fetched(int status, String body) {

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public static Fetched get(String url) {
        return get(url, Duration.ofSeconds(5));
    }

    public static Fetched get(String url, Duration timeout) {
        try {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .build(), HttpResponse.BodyHandlers.ofString());
            return new Fetched(response.statusCode(), response.body());
        }
        catch (IOException ex) {
            return new Fetched(-1, ex.toString());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new Fetched(-1, "interrupted");
        }
    }
}

package org.lockstep.manifest.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.lockstep.manifest.testing.Api.Response;

/** Assertions on RFC 9457 problem details. */
public final class Problems {

    private Problems() {
    }

    /** The response is {@code application/problem+json} with this status and {@code urn:lockstep:problem:<slug>}. */
    public static void assertProblem(Response response, int status, String slug) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        assertThat(response.contentType()).as("content type of %s", response)
                .startsWith("application/problem+json");
        assertThat(response.json().path("type").asString()).as("type of %s", response)
                .isEqualTo("urn:lockstep:problem:" + slug);
        assertThat(response.json().path("status").asInt()).isEqualTo(status);
        assertThat(response.json().path("detail").asString()).as("detail of %s", response).isNotBlank();
    }
}

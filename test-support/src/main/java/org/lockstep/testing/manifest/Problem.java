package org.lockstep.testing.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;

/**
 * An RFC 9457 problem detail as the manifest answers it, read from a {@link ManifestApi.Response}: the
 * {@code type} ({@code urn:lockstep:problem:<slug>}), title, status and detail.
 */
public record Problem(String type, String title, int status, String detail) {

    public static final String TYPE_PREFIX = "urn:lockstep:problem:";

    static Problem of(JsonNode json) {
        return new Problem(json.path("type").asString(), json.path("title").asString(), json.path("status").asInt(),
                json.path("detail").asString());
    }

    /** {@code not-a-descendant} for {@code urn:lockstep:problem:not-a-descendant}; the type itself otherwise. */
    public String slug() {
        return type.startsWith(TYPE_PREFIX) ? type.substring(TYPE_PREFIX.length()) : type;
    }

    /**
     * The response is {@code application/problem+json} with this status, type {@code urn:lockstep:problem:<slug>},
     * the same status in the body and a detail that says something.
     */
    public static Problem assertProblem(ManifestApi.Response response, int status, String slug) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        assertThat(response.contentType()).as("content type of %s", response)
                .startsWith("application/problem+json");
        Problem problem = response.problem().orElseThrow();
        assertThat(problem.type()).as("type of %s", response).isEqualTo(TYPE_PREFIX + slug);
        assertThat(problem.status()).as("status in the body of %s", response).isEqualTo(status);
        assertThat(problem.detail()).as("detail of %s", response).isNotBlank();
        return problem;
    }
}

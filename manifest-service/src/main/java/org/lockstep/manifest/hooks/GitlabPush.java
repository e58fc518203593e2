package org.lockstep.manifest.hooks;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The fields Lockstep reads from a GitLab push event; GitLab sends many more, which are ignored.
 *
 * @param ref          the pushed ref, e.g. {@code refs/heads/main}
 * @param after        the commit the ref points at after the push
 * @param userUsername who pushed (or merged)
 * @param project      the project pushed to
 */
record GitlabPush(String ref, String after, @JsonProperty("user_username") String userUsername, Project project) {

    /** @param pathWithNamespace e.g. {@code repos/data-engineering/schemas-event-primary} */
    record Project(@JsonProperty("path_with_namespace") String pathWithNamespace) {
    }
}

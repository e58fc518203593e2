package org.lockstep.manifest.hooks;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.auth.TokenRegistry;
import org.lockstep.manifest.rollout.RolloutService;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Turns a merge into a target with no CI job: GitLab push hooks and Gerrit {@code ref-updated} events. Each is
 * authenticated by its shared secret (only the SHA-256 is configured) and may only target the repository configured
 * for that project, on that repository's branch; the commit then goes through the same checks as any target.
 * Events for other projects or branches are acknowledged and ignored, so the sender does not retry them.
 */
@RestController
@RequestMapping("/hooks")
class WebhookController {

    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);

    private final RolloutService rollouts;

    private final ManifestProperties properties;

    WebhookController(RolloutService rollouts, ManifestProperties properties) {
        this.rollouts = rollouts;
        this.properties = properties;
    }

    @PostMapping("/gitlab")
    ResponseEntity<Map<String, Object>> gitlab(@RequestHeader(name = "X-Gitlab-Event", required = false) String event,
                                               @RequestHeader(name = "X-Gitlab-Token", required = false) String token,
                                               @RequestBody GitlabPush push) {
        authenticate(token, properties.hooks().gitlab(), "gitlab");
        if (!"Push Hook".equals(event) || push.project() == null) {
            return ignored("not a push event");
        }
        return target(push.project().pathWithNamespace(), push.ref(), push.after(),
                ManifestProperties.Repo::gitlabProject, "gitlab-webhook",
                "GitLab push by " + Optional.ofNullable(push.userUsername()).orElse("unknown"));
    }

    @PostMapping("/gerrit")
    ResponseEntity<Map<String, Object>> gerrit(@RequestHeader(name = "X-Lockstep-Token", required = false)
                                               String token, @RequestBody GerritEvent event) {
        authenticate(token, properties.hooks().gerrit(), "gerrit");
        if (!"ref-updated".equals(event.type()) || event.refUpdate() == null) {
            return ignored("not a ref-updated event");
        }
        GerritEvent.RefUpdate update = event.refUpdate();
        String ref = update.refName() != null && !update.refName().startsWith("refs/")
                ? "refs/heads/" + update.refName() : update.refName();
        String who = event.submitter() == null ? "unknown" : event.submitter().username();
        return target(update.project(), ref, update.newRev(), ManifestProperties.Repo::gerritProject,
                "gerrit-webhook", "Gerrit ref-updated by " + who);
    }

    private ResponseEntity<Map<String, Object>> target(String project, String ref, String commit,
                                                       Function<ManifestProperties.Repo, String> projectOf,
                                                       String actor, String reason) {
        for (Map.Entry<String, ManifestProperties.Repo> entry : properties.repos().entrySet()) {
            ManifestProperties.Repo repo = entry.getValue();
            if (project != null && project.equals(projectOf.apply(repo))
                    && ("refs/heads/" + repo.branch()).equals(ref)) {
                Rollout rollout = rollouts.setTarget(entry.getKey(), commit, reason, false, actor);
                log.info("event=webhook-target actor={} repo={} commit={} rollout={}", actor, entry.getKey(),
                        commit, rollout.id());
                return ResponseEntity.status(HttpStatus.ACCEPTED)
                        .body(Map.of("repo", entry.getKey(), "rollout", rollout.id(), "commit", rollout.commit()));
            }
        }
        return ignored("no repository is configured for project " + project + " and ref " + ref);
    }

    private static void authenticate(String token, ManifestProperties.Hook hook, String name) {
        if (hook == null || hook.tokenSha256() == null) {
            throw new WebhookRefused(HttpStatus.NOT_FOUND, "the " + name + " webhook is not configured");
        }
        if (!TokenRegistry.matches(token, hook.tokenSha256())) {
            throw new WebhookRefused(HttpStatus.UNAUTHORIZED, "wrong or missing " + name + " webhook secret");
        }
    }

    private static ResponseEntity<Map<String, Object>> ignored(String why) {
        return ResponseEntity.ok(Map.of("ignored", why));
    }
}

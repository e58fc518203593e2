package org.lockstep.manifest.hooks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.protocol.LogText;
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
 * authenticated by its shared secret before its body is read ({@link WebhookSecretFilter}) and may only target
 * the repository configured for that project, on that repository's branch. The commit is offered under the rule of
 * every automatic trigger ({@link AutomaticTargets}): a redelivered or replayed event never targets a commit again,
 * so it cannot undo an operator's rollback or cancel. Events that change nothing, for other projects or branches
 * included, are answered 200 so the sender neither retries them nor counts them as failures.
 */
@RestController
@RequestMapping("/hooks")
class WebhookController {

    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);

    /** What a delivery id may look like in a log line (GitLab sends a UUID). */
    private static final Pattern DELIVERY = Pattern.compile("[0-9A-Za-z-]{1,64}");

    private final AutomaticTargets targets;

    private final ManifestProperties properties;

    WebhookController(AutomaticTargets targets, ManifestProperties properties) {
        this.targets = targets;
        this.properties = properties;
    }

    @PostMapping("/gitlab")
    ResponseEntity<Map<String, Object>> gitlab(@RequestHeader(name = "X-Gitlab-Event", required = false) String event,
                                               @RequestHeader(name = "X-Gitlab-Event-UUID", required = false)
                                               String delivery, @RequestBody GitlabPush push) {
        if (!"Push Hook".equals(event) || push.project() == null) {
            return ignored("not a push event");
        }
        return target(push.project().pathWithNamespace(), push.ref(), push.after(),
                ManifestProperties.Repo::gitlabProject, "gitlab-webhook",
                "GitLab push by " + Optional.ofNullable(push.userUsername()).orElse("unknown"), delivery);
    }

    /**
     * Gerrit's webhooks plugin posts the stream event as it is and cannot add a header, so its secret may come as
     * {@code ?token=} in the URL (taken out of the request by {@link HookSecretFilter}) or as
     * {@code X-Lockstep-Token}, for a proxy that can add it; {@link WebhookSecretFilter} checks either.
     */
    @PostMapping("/gerrit")
    ResponseEntity<Map<String, Object>> gerrit(@RequestBody GerritEvent event) {
        if (!"ref-updated".equals(event.type()) || event.refUpdate() == null) {
            return ignored("not a ref-updated event");
        }
        GerritEvent.RefUpdate update = event.refUpdate();
        String ref = update.refName() != null && !update.refName().startsWith("refs/")
                ? "refs/heads/" + update.refName() : update.refName();
        String who = event.submitter() == null ? "unknown" : event.submitter().username();
        return target(update.project(), ref, update.newRev(), ManifestProperties.Repo::gerritProject,
                "gerrit-webhook", "Gerrit ref-updated by " + who, null);
    }

    private ResponseEntity<Map<String, Object>> target(String project, String ref, String commit,
                                                       Function<ManifestProperties.Repo, String> projectOf,
                                                       String actor, String reason, String delivery) {
        for (Map.Entry<String, ManifestProperties.Repo> entry : properties.repos().entrySet()) {
            ManifestProperties.Repo repo = entry.getValue();
            if (project != null && project.equals(projectOf.apply(repo))
                    && ("refs/heads/" + repo.branch()).equals(ref)) {
                return answer(entry.getKey(), commit, actor, targets.offer(entry.getKey(), commit, actor, reason),
                        delivery);
            }
        }
        return ignored("no repository is configured for project " + project + " and ref " + ref);
    }

    private static ResponseEntity<Map<String, Object>> answer(String repo, String commit, String actor,
                                                              AutomaticTargets.Offer offer, String delivery) {
        String id = delivery != null && DELIVERY.matcher(delivery).matches() ? delivery : "-";
        Rollout rollout = offer.rollout();
        if (offer.outcome() == AutomaticTargets.Outcome.IGNORED) {
            log.info("event=webhook-ignored actor={} delivery={} repo={} commit={} rollout={} reason={}", actor, id,
                    repo, commit, rollout == null ? "-" : rollout.id(), LogText.quoted(offer.why()));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ignored", offer.why());
            body.put("repo", repo);
            body.put("commit", commit);
            if (rollout != null) {
                body.put("rollout", rollout.id());
            }
            return ResponseEntity.ok(body);
        }
        log.info("event=webhook-target actor={} delivery={} repo={} commit={} rollout={} outcome={}", actor, id, repo,
                commit, rollout.id(), offer.outcome());
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(Map.of("repo", repo, "rollout", rollout.id(), "commit", rollout.commit()));
    }

    private static ResponseEntity<Map<String, Object>> ignored(String why) {
        return ResponseEntity.ok(Map.of("ignored", why));
    }
}

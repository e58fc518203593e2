package org.lockstep.manifest.page;

import java.util.function.Supplier;

import org.lockstep.manifest.auth.Caller;
import org.lockstep.manifest.rollout.CommitNotOnBranch;
import org.lockstep.manifest.rollout.RolloutService;
import org.lockstep.manifest.rollout.UnknownRepository;
import org.lockstep.manifest.git.RemoteUnreachable;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.RolloutRejected;
import org.lockstep.manifest.store.StoreUnavailable;
import org.lockstep.protocol.InvalidInputException;
import org.lockstep.protocol.RepoName;
import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The page's operator actions. The security chain lets only a signed-in operator with a valid CSRF token get here;
 * each action still needs a reason and an explicit confirmation, goes through {@link RolloutService} like the API's
 * (so it lands in the audit history under the operator's token name), and answers with a redirect to the page and a
 * message in words: the outcome, or why nothing was done.
 */
@Controller
class OperatorActionsController {

    private static final Logger log = LoggerFactory.getLogger(OperatorActionsController.class);

    static final String CONFIRMED = "yes";

    private final RolloutService rollouts;

    OperatorActionsController(RolloutService rollouts) {
        this.rollouts = rollouts;
    }

    @PostMapping("/repos/{repo}/rollback")
    String rollback(@PathVariable String repo, @RequestParam(required = false) String commit,
                    @RequestParam(required = false) String reason, @RequestParam(required = false) String confirm,
                    @AuthenticationPrincipal Caller caller, RedirectAttributes redirect) {
        return act(repo, "roll back", reason, confirm, redirect, () -> {
            if (commit == null || commit.isBlank()) {
                throw new InvalidInputException("commit", "choose the commit to roll back to");
            }
            Rollout rollout = rollouts.setTarget(repo, commit, reason.strip(), true, caller.name());
            return "Rollback of " + repo + " to " + CommitDescriptions.shortId(commit) + " started (rollout #"
                    + rollout.id() + "). Hosts prepare it, then all switch together.";
        });
    }

    @PostMapping("/repos/{repo}/pause")
    String pause(@PathVariable String repo, @RequestParam(required = false) String reason,
                 @RequestParam(required = false) String confirm, @AuthenticationPrincipal Caller caller,
                 RedirectAttributes redirect) {
        return act(repo, "pause", reason, confirm, redirect, () -> {
            rollouts.pause(repo, caller.name(), reason.strip());
            return "Activation of " + repo + " is paused: hosts still prepare new targets, none becomes active.";
        });
    }

    @PostMapping("/repos/{repo}/resume")
    String resume(@PathVariable String repo, @RequestParam(required = false) String reason,
                  @RequestParam(required = false) String confirm, @AuthenticationPrincipal Caller caller,
                  RedirectAttributes redirect) {
        return act(repo, "resume", reason, confirm, redirect, () -> {
            rollouts.resume(repo, caller.name(), reason.strip());
            return "Activation of " + repo + " resumed.";
        });
    }

    @PostMapping("/repos/{repo}/cancel")
    String cancel(@PathVariable String repo, @RequestParam(required = false) Long rollout,
                  @RequestParam(required = false) String reason, @RequestParam(required = false) String confirm,
                  @AuthenticationPrincipal Caller caller, RedirectAttributes redirect) {
        return act(repo, "cancel", reason, confirm, redirect, () -> {
            // The operator cancels what they saw: the machine refuses if another rollout replaced it meanwhile.
            Rollout cancelled = rollouts.cancel(repo, rollout, caller.name(), reason.strip());
            return "Rollout #" + cancelled.id() + " of " + repo + " ("
                    + CommitDescriptions.shortId(cancelled.commit()) + ") cancelled.";
        });
    }

    private String act(String repo, String action, String reason, String confirm, RedirectAttributes redirect,
                       Supplier<String> body) {
        String anchor = RepoName.isValid(repo) ? "/#repo-" + repo : "/";
        if (!CONFIRMED.equals(confirm)) {
            redirect.addFlashAttribute("flash", Flash.error("Nothing was done: tick \u201cI confirm\u201d to " + action
                    + " " + repo + "."));
            return "redirect:" + anchor;
        }
        if (reason == null || reason.isBlank()) {
            redirect.addFlashAttribute("flash", Flash.error("Nothing was done: say why you " + action + " " + repo
                    + "; the reason goes into the audit history."));
            return "redirect:" + anchor;
        }
        try {
            redirect.addFlashAttribute("flash", Flash.ok(body.get()));
        }
        catch (RolloutRejected | CommitNotOnBranch | UnknownRepository | InvalidInputException
               | RemoteUnreachable | StoreUnavailable ex) {
            log.info("event=page-action-refused repo={} action={} detail={}", repo, LogText.quoted(action),
                    LogText.quoted(ex.getMessage()));
            redirect.addFlashAttribute("flash", Flash.error("Could not " + action + " " + repo + ": "
                    + ex.getMessage()));
        }
        return "redirect:" + anchor;
    }
}

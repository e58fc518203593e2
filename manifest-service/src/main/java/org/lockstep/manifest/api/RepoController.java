package org.lockstep.manifest.api;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.lockstep.manifest.auth.AccessDenied;
import org.lockstep.manifest.auth.Caller;
import org.lockstep.manifest.rollout.HostState;
import org.lockstep.manifest.rollout.RolloutService;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.protocol.InvalidInputException;
import org.lockstep.protocol.TargetRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Repositories: open status reads, targets for CI and operators, operator actions. */
@RestController
@RequestMapping("/api/v1")
class RepoController {

    private static final int MAX_PAGE_SIZE = 100;

    private static final int MAX_HOSTS_PAGE = 500;

    private final RolloutService rollouts;

    private final StatusViews views;

    RepoController(RolloutService rollouts, StatusViews views) {
        this.rollouts = rollouts;
        this.views = views;
    }

    @GetMapping("/repos")
    List<RepoStatus> repos() {
        return views.all();
    }

    @GetMapping("/repos/{repo}")
    RepoStatus repo(@PathVariable String repo) {
        return views.repo(repo);
    }

    /** Every expected host's latest report, by name, optionally only those in {@code state}; paged. */
    @GetMapping("/repos/{repo}/hosts")
    PageOf<RepoStatus.HostView> hosts(@PathVariable String repo, @RequestParam(required = false) String state,
                                      @RequestParam(defaultValue = "0") int page,
                                      @RequestParam(defaultValue = "100") int size) {
        rollouts.state(repo);
        Optional<HostState> wanted = Optional.empty();
        if (state != null) {
            wanted = Arrays.stream(HostState.values()).filter(s -> s.label().equals(state)).findFirst();
            if (wanted.isEmpty()) {
                throw new InvalidInputException("state", "state must be one of " + Arrays.stream(HostState.values())
                        .map(HostState::label).toList());
            }
        }
        if (page < 0) {
            throw new InvalidInputException("page", "page must be >= 0");
        }
        if (size < 1 || size > MAX_HOSTS_PAGE) {
            throw new InvalidInputException("size", "size must be between 1 and " + MAX_HOSTS_PAGE);
        }
        return views.hosts(repo, wanted, page, size);
    }

    @GetMapping("/repos/{repo}/rollouts")
    PageOf<RolloutView> rollouts(@PathVariable String repo, @RequestParam(defaultValue = "0") int page,
                                 @RequestParam(defaultValue = "20") int size) {
        if (page < 0) {
            throw new InvalidInputException("page", "page must be >= 0");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new InvalidInputException("size", "size must be between 1 and " + MAX_PAGE_SIZE);
        }
        return views.rollouts(repo, page, size);
    }

    @GetMapping("/rollouts/{id}")
    RolloutView rollout(@PathVariable long id) {
        return views.rollout(rollouts.rollout(id).orElseThrow(() -> new NoSuchRollout(id)));
    }

    @PutMapping("/repos/{repo}/target")
    ResponseEntity<RolloutView> setTarget(@PathVariable String repo, @RequestBody TargetRequest request,
                                          @AuthenticationPrincipal Caller caller) {
        rollouts.state(repo); // 404 before 403: an unknown repository is unknown to everyone
        if (!caller.maySetTarget(repo)) {
            throw new AccessDenied("token " + caller.name() + " may not set targets for " + repo);
        }
        if (request.isRollback() && !caller.isOperator()) {
            throw new AccessDenied("rollback needs an operator token");
        }
        requireCommit(request.commit());
        return accepted(rollouts.setTarget(repo, request.commit(), request.reason(), request.isRollback(),
                caller.name()));
    }

    @PostMapping("/repos/{repo}/rollback")
    ResponseEntity<RolloutView> rollback(@PathVariable String repo, @RequestBody ActionRequest request,
                                         @AuthenticationPrincipal Caller caller) {
        operator(repo, caller);
        requireCommit(request.commit());
        return accepted(rollouts.setTarget(repo, request.commit(), request.reason(), true, caller.name()));
    }

    @PostMapping("/repos/{repo}/pause")
    RepoStatus pause(@PathVariable String repo, @RequestBody(required = false) ActionRequest request,
                     @AuthenticationPrincipal Caller caller) {
        operator(repo, caller);
        rollouts.pause(repo, caller.name(), reason(request));
        return views.repo(repo);
    }

    @PostMapping("/repos/{repo}/resume")
    RepoStatus resume(@PathVariable String repo, @RequestBody(required = false) ActionRequest request,
                      @AuthenticationPrincipal Caller caller) {
        operator(repo, caller);
        rollouts.resume(repo, caller.name(), reason(request));
        return views.repo(repo);
    }

    @PostMapping("/repos/{repo}/cancel")
    RolloutView cancel(@PathVariable String repo, @RequestBody(required = false) ActionRequest request,
                       @AuthenticationPrincipal Caller caller) {
        operator(repo, caller);
        Rollout cancelled = rollouts.cancel(repo, request == null ? null : request.rollout(), caller.name(),
                reason(request));
        return views.rollout(cancelled);
    }

    /**
     * Hosts prepare the pending target again after a permanent failure whose cause was fixed outside Lockstep; with
     * {@code rollout}, only if that rollout is still the pending one. Recorded as {@code RETRIED} in its history.
     */
    @PostMapping("/repos/{repo}/retry")
    RolloutView retry(@PathVariable String repo, @RequestBody(required = false) ActionRequest request,
                      @AuthenticationPrincipal Caller caller) {
        operator(repo, caller);
        return views.rollout(rollouts.retry(repo, request == null ? null : request.rollout(), caller.name(),
                reason(request)));
    }

    private void operator(String repo, Caller caller) {
        rollouts.state(repo);
        if (!caller.isOperator()) {
            throw new AccessDenied("this action needs an operator token");
        }
    }

    private ResponseEntity<RolloutView> accepted(Rollout rollout) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(views.rollout(rollout));
    }

    private static void requireCommit(String commit) {
        if (commit == null) {
            throw new InvalidInputException("commit", "commit is required");
        }
    }

    private static String reason(ActionRequest request) {
        return request == null ? null : request.reason();
    }

    /** No rollout with that id. */
    static class NoSuchRollout extends RuntimeException {

        NoSuchRollout(long id) {
            super("no rollout with id " + id);
        }
    }
}

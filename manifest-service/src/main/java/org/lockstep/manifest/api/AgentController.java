package org.lockstep.manifest.api;

import java.time.Duration;

import org.lockstep.manifest.auth.AccessDenied;
import org.lockstep.manifest.auth.Caller;
import org.lockstep.manifest.rollout.RolloutService;
import org.lockstep.protocol.AgentReport;
import org.lockstep.protocol.DesiredState;
import org.lockstep.protocol.HostName;
import org.lockstep.protocol.InvalidInputException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/** The agents' side: report what is on disk, long-poll for the desired state. Each token speaks for one host. */
@RestController
@RequestMapping("/api/v1/agents/{host}")
class AgentController {

    private final RolloutService rollouts;

    private final DesiredStateWaiters waiters;

    AgentController(RolloutService rollouts, DesiredStateWaiters waiters) {
        this.rollouts = rollouts;
        this.waiters = waiters;
    }

    @PostMapping("/report")
    DesiredState report(@PathVariable String host, @RequestBody AgentReport report,
                        @AuthenticationPrincipal Caller caller) {
        requireHost(host, caller);
        return rollouts.report(host, report);
    }

    /**
     * The long-poll. {@code wait} (seconds, optional) holds it for less than {@code poll-timeout}: an agent that must
     * retry a transient failure soon asks to be answered by then even if nothing changes.
     */
    @GetMapping("/desired")
    DeferredResult<DesiredState> desired(@PathVariable String host, @RequestParam(defaultValue = "0") long since,
                                         @RequestParam(required = false) Long wait,
                                         @AuthenticationPrincipal Caller caller) {
        requireHost(host, caller);
        if (wait != null && wait < 0) {
            throw new InvalidInputException("wait", "wait must be a number of seconds >= 0");
        }
        rollouts.polled(host);
        return waiters.await(host, since, wait == null ? null : Duration.ofSeconds(wait));
    }

    private static void requireHost(String host, Caller caller) {
        HostName.of(host);
        if (!caller.mayActAs(host)) {
            throw new AccessDenied("token " + caller.name() + " may not speak for host " + host);
        }
    }
}

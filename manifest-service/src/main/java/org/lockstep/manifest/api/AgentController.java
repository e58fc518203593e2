package org.lockstep.manifest.api;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.lockstep.manifest.auth.AccessDenied;
import org.lockstep.manifest.auth.Caller;
import org.lockstep.manifest.rollout.RolloutService;
import org.lockstep.protocol.AgentReport;
import org.lockstep.protocol.HostName;
import org.lockstep.protocol.InvalidInputException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The agents' side: report what is on disk, long-poll for the desired state. Each token speaks for one host. Both
 * answer with the desired state's pre-serialized bytes ({@link DesiredStates}).
 */
@RestController
@RequestMapping("/api/v1/agents/{host}")
class AgentController {

    private final RolloutService rollouts;

    private final DesiredStates desired;

    private final DesiredStateWaiters waiters;

    AgentController(RolloutService rollouts, DesiredStates desired, DesiredStateWaiters waiters) {
        this.rollouts = rollouts;
        this.desired = desired;
        this.waiters = waiters;
    }

    /** Answered as soon as the report is durable, with the desired state as of it (an activation it caused too). */
    @PostMapping("/report")
    ResponseEntity<byte[]> report(@PathVariable String host, @RequestBody AgentReport report,
                                  @AuthenticationPrincipal Caller caller) {
        requireHost(host, caller);
        long revision = rollouts.report(host, report);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(desired.forHost(host, revision).json());
    }

    /**
     * The long-poll. {@code wait} (seconds, optional) holds it for less than {@code poll-timeout}: an agent that must
     * retry a transient failure soon asks to be answered by then even if nothing changes.
     */
    @GetMapping("/desired")
    void desired(@PathVariable String host, @RequestParam(defaultValue = "0") long since,
                 @RequestParam(required = false) Long wait, @AuthenticationPrincipal Caller caller,
                 HttpServletRequest request, HttpServletResponse response) throws IOException {
        requireHost(host, caller);
        if (wait != null && wait < 0) {
            throw new InvalidInputException("wait", "wait must be a number of seconds >= 0");
        }
        rollouts.polled(host);
        waiters.await(host, since, wait == null ? null : Duration.ofSeconds(wait), request, response);
    }

    private static void requireHost(String host, Caller caller) {
        HostName.of(host);
        if (!caller.mayActAs(host)) {
            throw new AccessDenied("token " + caller.name() + " may not speak for host " + host);
        }
    }
}

package org.lockstep.cli;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * The parts of the manifest's public answers (docs/api.md) that the CLI reads. Fields the CLI does not know are
 * ignored and missing lists read as empty, so a newer or older manifest still works.
 */
final class Views {

    private Views() {
    }

    /** A rollout's state, as {@code GET /api/v1/rollouts/{id}} says it. */
    enum State {
        PREPARING, ACTIVATING, COMPLETE, SUPERSEDED, CANCELLED,
        /** A state this CLI does not know (a newer manifest): keep waiting, it says nothing final. */
        @JsonEnumDefaultValue
        UNKNOWN
    }

    /** One rollout (RolloutView on the manifest). */
    record Rollout(long id, String repo, String commit, String previous, Boolean rollback, State state,
                   String createdBy, String reason, Instant createdAt, Map<String, Instant> prepared,
                   Map<String, Instant> switched, List<Event> events, int hostsExpected, int hostsPrepared,
                   int hostsSwitched, List<String> waitingFor, List<Blocked> blockedBy, Instant deadline,
                   Boolean overdue, Double prepareSeconds, Double switchSkewSeconds) {

        Rollout {
            prepared = prepared == null ? Map.of() : prepared;
            switched = switched == null ? Map.of() : switched;
            events = events == null ? List.of() : events;
            waitingFor = waitingFor == null ? List.of() : waitingFor;
            blockedBy = blockedBy == null ? List.of() : blockedBy;
            state = state == null ? State.UNKNOWN : state;
        }

        /** The audit event that moved the rollout into {@code wanted} (states are never re-entered). */
        Optional<Event> entered(State wanted) {
            return events.stream().filter(e -> e.state() == wanted && wanted.name().equals(e.action())).findFirst();
        }

        boolean isOverdue() {
            return Boolean.TRUE.equals(overdue);
        }
    }

    /** A line of a rollout's audit history. */
    record Event(Instant at, String action, State state, String actor, String reason) {
    }

    /** A host that holds a rollout back with an error (the rollout view's {@code blockedBy}). */
    record Blocked(String host, String commit, String error, Boolean permanent, Instant since) {

        boolean isPermanent() {
            return Boolean.TRUE.equals(permanent);
        }
    }

    /** One repository, as {@code GET /api/v1/repos/{repo}} shows it. */
    record Repo(String name, String branch, String active, String target, Boolean paused, List<String> expectedHosts,
                Rollout rollout, List<Host> hosts, List<Rollout> recentRollouts) {

        Repo {
            expectedHosts = expectedHosts == null ? List.of() : expectedHosts;
            hosts = hosts == null ? List.of() : hosts;
            recentRollouts = recentRollouts == null ? List.of() : recentRollouts;
        }

        Optional<Host> host(String name) {
            return hosts.stream().filter(h -> name.equals(h.host())).findFirst();
        }

        boolean isPaused() {
            return Boolean.TRUE.equals(paused);
        }
    }

    /** What one expected host last reported for a repository. */
    record Host(String host, String current, String next, String preparing, String error, String errorCommit,
                Boolean permanent, Instant errorSince, Instant switchedAt, Instant lastReportAt, Instant lastSeen,
                Boolean lagging) {

        boolean isPermanent() {
            return Boolean.TRUE.equals(permanent);
        }

        boolean isLagging() {
            return Boolean.TRUE.equals(lagging);
        }
    }

    /** An RFC 9457 problem detail, as every refusal of the manifest is. */
    record Problem(String type, String title, Integer status, String detail, String field) {

        /** The stable part of {@code type}: {@code commit-not-on-branch} for {@code urn:lockstep:problem:...}. */
        String slug() {
            if (type == null) {
                return "http-" + status;
            }
            int colon = type.lastIndexOf(':');
            return colon < 0 ? type : type.substring(colon + 1);
        }

        /** The problem in words: "409 commit-not-on-branch: commit ... is not on branch main". */
        String words() {
            String text = detail != null ? detail : title != null ? title : "no detail given";
            return status + " " + slug() + ": " + text + (field == null ? "" : " (field: " + field + ")");
        }
    }
}

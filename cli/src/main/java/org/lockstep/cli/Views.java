package org.lockstep.cli;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

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

    /**
     * One rollout (RolloutView on the manifest). {@code prepared} and {@code switched} (host -> when) are not in the
     * manifest's answer, whose size does not grow with the fleet: the CLI fills them from the hosts' entries
     * ({@link HostMarks}) when it reads them. {@code waitingFor} and {@code blockedBy} name at most the first 20
     * hosts; {@code waitingCount} and {@code blockedCount} say how many there are in all (null from a manifest that
     * sends full lists). {@code waitsFor} lists the commits of other repositories it still waits for
     * ({@code activate-after}; empty from a manifest before it).
     */
    record Rollout(long id, String repo, String commit, String previous, Boolean rollback, State state,
                   String createdBy, String reason, Instant createdAt, Map<String, Instant> prepared,
                   Map<String, Instant> switched, List<Event> events, int hostsExpected, int hostsPrepared,
                   int hostsSwitched, List<String> waitingFor, Integer waitingCount, List<Blocked> blockedBy,
                   Integer blockedCount, Instant deadline, Boolean overdue, Double prepareSeconds,
                   Double switchSkewSeconds, List<WaitsFor> waitsFor) {

        Rollout {
            prepared = prepared == null ? Map.of() : prepared;
            switched = switched == null ? Map.of() : switched;
            events = events == null ? List.of() : events;
            waitingFor = waitingFor == null ? List.of() : waitingFor;
            blockedBy = blockedBy == null ? List.of() : blockedBy;
            waitsFor = waitsFor == null ? List.of() : waitsFor;
            state = state == null ? State.UNKNOWN : state;
        }

        /** The same rollout with who prepared and who switched it, and when. */
        Rollout withMarks(Map<String, Instant> preparedBy, Map<String, Instant> switchedBy) {
            return new Rollout(id, repo, commit, previous, rollback, state, createdBy, reason, createdAt, preparedBy,
                    switchedBy, events, hostsExpected, hostsPrepared, hostsSwitched, waitingFor, waitingCount,
                    blockedBy, blockedCount, deadline, overdue, prepareSeconds, switchSkewSeconds, waitsFor);
        }

        /** ", waits for primary 1a2b3c4d5e6f on 2 of 4 hosts", or nothing when it waits for no other repository. */
        String waitsText() {
            return waitsFor.isEmpty() ? "" : ", waits for " + String.join(", ", waitsFor.stream().map(WaitsFor::text)
                    .toList());
        }

        /** How many hosts it waits for in all ({@code waitingFor} names the first of them). */
        int waitingTotal() {
            return waitingCount == null ? waitingFor.size() : waitingCount;
        }

        /** How many hosts hold it back with an error in all ({@code blockedBy} names the first of them). */
        int blockedTotal() {
            return blockedCount == null ? blockedBy.size() : blockedCount;
        }

        /** The audit event that moved the rollout into {@code wanted} (states are never re-entered). */
        Optional<Event> entered(State wanted) {
            return events.stream().filter(e -> e.state() == wanted && wanted.name().equals(e.action())).findFirst();
        }

        boolean isOverdue() {
            return Boolean.TRUE.equals(overdue);
        }
    }

    /**
     * A commit of another repository a rollout waits for before it may activate (the rollout view's
     * {@code waitsFor}, from {@code activate-after}).
     */
    record WaitsFor(String repo, String commit, int hostsServing, int hostsExpected) {

        /** "primary 1a2b3c4d5e6f on 2 of 4 hosts". */
        String text() {
            return repo + " " + Texts.commit(commit) + " on " + hostsServing + " of " + hostsExpected + " hosts";
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

    /**
     * One repository, as {@code GET /api/v1/repos/{repo}} shows it: counts and the hosts that need a look
     * ({@code attention}, the first 50 of {@code attentionCount}). {@code hosts} is not in the answer: the hosts the
     * CLI read page by page from {@code GET /api/v1/repos/{repo}/hosts} ({@link #withHosts}), when it did.
     */
    record Repo(String name, String branch, String active, String target, Boolean paused, Integer hostCount,
                Integer serving, Map<String, Integer> hostsByState, List<Host> attention, Integer attentionCount,
                Rollout rollout, List<Host> hosts, List<Rollout> recentRollouts) {

        Repo {
            hostsByState = hostsByState == null ? Map.of() : hostsByState;
            attention = attention == null ? List.of() : attention;
            hosts = hosts == null ? List.of() : hosts;
            recentRollouts = recentRollouts == null ? List.of() : recentRollouts;
        }

        /** The same repository with the hosts read from its hosts endpoint. */
        Repo withHosts(List<Host> read) {
            return new Repo(name, branch, active, target, paused, hostCount, serving, hostsByState, attention,
                    attentionCount, rollout, read, recentRollouts);
        }

        /** {@code name}'s latest report, if the CLI read it or the manifest listed the host as needing a look. */
        Optional<Host> host(String name) {
            return Stream.concat(hosts.stream(), attention.stream())
                    .filter(h -> name.equals(h.host())).findFirst();
        }

        int hostTotal() {
            return hostCount == null ? hosts.size() : hostCount;
        }

        boolean isPaused() {
            return Boolean.TRUE.equals(paused);
        }
    }

    /**
     * What one expected host last reported for a repository ({@code GET .../hosts} items, and the repository's
     * {@code attention}). {@code prepared} and {@code switched} are the rollout the manifest saw the host prepare or
     * switch to, and when.
     */
    record Host(String host, String state, String current, String next, String preparing, String error,
                String errorCommit, Boolean permanent, Instant errorSince, Instant switchedAt, Instant lastReportAt,
                Instant lastSeen, Boolean lagging, Mark prepared, Mark switched) {

        boolean isPermanent() {
            return Boolean.TRUE.equals(permanent);
        }

        boolean isLagging() {
            return Boolean.TRUE.equals(lagging);
        }
    }

    /** Something a host did for one rollout, and when. */
    record Mark(long rollout, Instant at) {
    }

    /** One page of {@code GET /api/v1/repos/{repo}/hosts}. */
    record HostPage(List<Host> items, long total) {

        HostPage {
            items = items == null ? List.of() : items;
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

package org.lockstep.cli;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One change seen while waiting for a rollout: a line for people ({@link #text()}) and, with {@code --json}, an
 * object {@code {"event": name(), ...fields()}}. Every event also carries the rollout id and repository.
 */
sealed interface WaitEvent {

    String name();

    String text();

    Map<String, Object> fields();

    /** A host has the commit fully on disk, verified and linked as {@code next}. */
    record Prepared(String host, Instant at, int count, int of) implements WaitEvent {

        public String name() {
            return "prepared";
        }

        public String text() {
            return host + " prepared (" + count + "/" + of + ")";
        }

        public Map<String, Object> fields() {
            return WaitEvent.map("host", host, "at", at, "prepared", count, "expected", of);
        }
    }

    /** Every host was ready: the manifest made the commit active and hosts switch now. */
    record Activated(String commit, Instant at) implements WaitEvent {

        public String name() {
            return "activated";
        }

        public String text() {
            return "activated: every host is ready, " + Texts.commit(commit) + " is active; hosts switch now";
        }

        public Map<String, Object> fields() {
            return WaitEvent.map("commit", commit, "at", at);
        }
    }

    /** A host switched {@code current} to the commit. */
    record Switched(String host, Instant at, int count, int of) implements WaitEvent {

        public String name() {
            return "switched";
        }

        public String text() {
            return host + " switched (" + count + "/" + of + ")";
        }

        public Map<String, Object> fields() {
            return WaitEvent.map("host", host, "at", at, "switched", count, "expected", of);
        }
    }

    /** A host reported an error that holds the rollout back (new, or changed). */
    record HostError(String host, String commit, String error, boolean permanent, Instant since)
            implements WaitEvent {

        public String name() {
            return "host-error";
        }

        public String text() {
            return host + " error (" + (permanent ? "permanent: it will not retry on its own" : "transient: retrying")
                    + "): " + Texts.firstLine(error, 200);
        }

        public Map<String, Object> fields() {
            return WaitEvent.map("host", host, "commit", commit, "error", error, "permanent", permanent, "since",
                    since);
        }
    }

    /** A host that held the rollout back with an error no longer does. */
    record ErrorCleared(String host) implements WaitEvent {

        public String name() {
            return "host-error-cleared";
        }

        public String text() {
            return host + " no longer reports an error";
        }

        public Map<String, Object> fields() {
            return WaitEvent.map("host", host);
        }
    }

    /** An operator action recorded on the rollout that does not end it: paused, resumed, retried. */
    record Noted(String action, String actor, String reason, Instant at) implements WaitEvent {

        public String name() {
            return "action";
        }

        public String text() {
            return action.toLowerCase(Locale.ROOT) + " by " + actor + (reason == null ? "" : ": " + reason);
        }

        public Map<String, Object> fields() {
            return WaitEvent.map("action", action, "actor", actor, "reason", reason, "at", at);
        }
    }

    /** Field maps keep their order and allow nulls (JSON null), unlike {@code Map.of}. */
    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1] instanceof Instant at ? at.toString() : pairs[i + 1]);
        }
        return map;
    }
}

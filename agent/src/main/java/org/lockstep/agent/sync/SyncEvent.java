package org.lockstep.agent.sync;

import org.lockstep.protocol.LogText;

/**
 * What one step of {@link Syncer#syncOnce} did to one repository. Each is logged once, by {@link SyncLog}, as
 * {@code event=<name> repo=... commit=... host=...} followed by its own fields.
 */
public sealed interface SyncEvent {

    String repo();

    /**
     * The commit the event concerns ({@code null} only for a failure before any commit was known, or a repaired
     * {@code next} that pointed at no commit).
     */
    String commit();

    /** The kebab-case name logged as {@code event=}. */
    String name();

    /** The fields after {@code host=}, each {@code key=value}, with untrusted text quoted. */
    String fields();

    /** Whether the manifest should hear about it at once rather than at the next heartbeat. */
    default boolean worthReporting() {
        return true;
    }

    /**
     * {@code current} now points at {@code commit}.
     *
     * @param from the commit it pointed at before, or {@code null}
     */
    record Switched(String repo, String commit, String from) implements SyncEvent {

        @Override
        public String name() {
            return "switched";
        }

        @Override
        public String fields() {
            return "from=" + from;
        }
    }

    /**
     * {@code next} now points at {@code commit}: fetched, materialized, verified.
     *
     * @param rollout the manifest's rollout that asked for it, or {@code null}
     */
    record Prepared(String repo, String commit, Long rollout) implements SyncEvent {

        @Override
        public String name() {
            return "prepared";
        }

        @Override
        public String fields() {
            return "rollout=" + rollout;
        }
    }

    /**
     * {@code commit} was linked as {@code next} but is no longer desired (superseded or cancelled), so it is no longer
     * served through read-through.
     *
     * @param next the commit {@code next} points at now ({@code current}'s), or {@code null} when removed
     */
    record Withdrawn(String repo, String commit, String next) implements SyncEvent {

        @Override
        public String name() {
            return "withdrawn";
        }

        @Override
        public String fields() {
            return "next=" + next;
        }
    }

    /**
     * An attempt failed; nothing on disk changed for it.
     *
     * @param error     what failed, in words (may hold git's or the verify command's output)
     * @param permanent whether retrying {@code commit} is pointless
     */
    record Failed(String repo, String commit, String error, boolean permanent) implements SyncEvent {

        @Override
        public String name() {
            return "sync-failed";
        }

        @Override
        public String fields() {
            return "permanent=" + permanent + " error=" + LogText.quoted(error);
        }
    }

    /**
     * {@code next} pointed at something that is not a complete release of this agent (outside, a planted or
     * unmarked release, nothing) and was removed, so read-through serves nothing the agent did not build.
     *
     * @param commit the commit of {@code releases/<commit>} it pointed at, or {@code null}
     * @param was    what it pointed at, as found on disk (anyone's text)
     */
    record NextRepaired(String repo, String commit, String was) implements SyncEvent {

        @Override
        public String name() {
            return "next-repaired";
        }

        @Override
        public String fields() {
            return "was=" + LogText.quoted(was) + " action=removed";
        }
    }

    /** The release of {@code commit} was removed (beyond {@code keep-releases}); the manifest does not care. */
    record Pruned(String repo, String commit) implements SyncEvent {

        @Override
        public String name() {
            return "pruned";
        }

        @Override
        public String fields() {
            return "";
        }

        @Override
        public boolean worthReporting() {
            return false;
        }
    }
}

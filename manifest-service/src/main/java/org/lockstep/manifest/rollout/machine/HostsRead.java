package org.lockstep.manifest.rollout.machine;

/**
 * Which hosts' entries a command needs besides the repository's summary: none, the reporting host's, or (to count
 * again when the expected hosts change) every one. The store reads exactly these, in the same snapshot as the
 * summary, and its write is conditional on them.
 *
 * @param host the one host whose entry is read, or null
 * @param all  whether every entry of the repository is read
 */
public record HostsRead(String host, boolean all) {

    private static final HostsRead NONE = new HostsRead(null, false);

    private static final HostsRead ALL = new HostsRead(null, true);

    public static HostsRead none() {
        return NONE;
    }

    public static HostsRead one(String host) {
        return new HostsRead(host, false);
    }

    public static HostsRead every() {
        return ALL;
    }
}

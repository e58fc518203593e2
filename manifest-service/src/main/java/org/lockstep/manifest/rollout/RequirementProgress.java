package org.lockstep.manifest.rollout;

/**
 * How far one unmet {@code activate-after} requirement of a pending rollout is: the API's {@code waitsFor} entry and
 * the page's "waits for primary 1a2b3c4 on 2 of 4 hosts".
 *
 * @param repo          the repository waited for
 * @param commit        the commit required of it
 * @param hostsServing  its expected hosts whose latest report serves that commit or a descendant
 * @param hostsExpected its expected hosts
 */
public record RequirementProgress(String repo, String commit, int hostsServing, int hostsExpected) {

    /** Whether every expected host serves it: the manifest records it met. */
    public boolean met() {
        return hostsExpected > 0 && hostsServing >= hostsExpected;
    }
}

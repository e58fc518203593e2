package org.lockstep.manifest.rollout;

/** A repository name that is not configured. The API answers 404; no path was built from the name. */
public class UnknownRepository extends RuntimeException {

    public UnknownRepository(String repo) {
        super("no repository named " + repo + " is configured");
    }
}

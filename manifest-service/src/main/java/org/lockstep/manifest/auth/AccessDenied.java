package org.lockstep.manifest.auth;

/** An authenticated caller asked for something its role does not allow. The API answers 403. */
public class AccessDenied extends RuntimeException {

    public AccessDenied(String message) {
        super(message);
    }
}

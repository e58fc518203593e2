package org.lockstep.manifest.store;

/** The store could not read or write; nothing was acknowledged. The API answers 503. */
public class StoreUnavailable extends RuntimeException {

    public StoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}

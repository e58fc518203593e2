package org.lockstep.manifest.store;

/**
 * The store has not opened yet (it keeps trying, and has logged why once): every request answers 503 with this
 * message. Unlike other {@link StoreUnavailable}s it is not worth a log line per request.
 */
public class StoreNotOpen extends StoreUnavailable {

    public StoreNotOpen(String message) {
        super(message, null);
    }
}

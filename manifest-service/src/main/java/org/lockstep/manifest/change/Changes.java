package org.lockstep.manifest.change;

/** The subscribing side of the {@link ChangeChannel}: what the service hands to the web edge and to metrics. */
public interface Changes {

    /** Hears every change from now on, until the subscription is closed. */
    Subscription subscribe(ChangeListener listener);

    /**
     * The newest revision announced so far (or known when the store opened): what a waiting agent is answered with
     * once it is announced, without asking the store.
     */
    long newestRevision();

    /** Ends one subscription; closing twice is harmless. */
    interface Subscription extends AutoCloseable {

        @Override
        void close();
    }
}

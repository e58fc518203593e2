package org.lockstep.manifest.change;

/** A subscriber of the {@link ChangeChannel}. */
@FunctionalInterface
public interface ChangeListener {

    /**
     * Called once for every change, after it is durable. Runs on the thread that announces the change (the writer,
     * or the etcd store's watch thread), so a listener with slow work (answering thousands of polls, pushing to
     * browsers) hands it to its own executor instead of holding that thread.
     */
    void changed(Change change);
}

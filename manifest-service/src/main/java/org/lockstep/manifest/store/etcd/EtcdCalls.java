package org.lockstep.manifest.store.etcd;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.lockstep.manifest.store.StoreUnavailable;

/**
 * The one place that waits for etcd. Every call is bounded by the configured timeout, so an unreachable cluster
 * turns into {@link StoreUnavailable} (a 503) within seconds instead of a request thread hanging on gRPC retries.
 */
final class EtcdCalls {

    private final Duration timeout;

    EtcdCalls(Duration timeout) {
        this.timeout = timeout;
    }

    <T> T await(CompletableFuture<T> call, String what) {
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException ex) {
            call.cancel(true);
            throw new StoreUnavailable("etcd did not answer " + what + " within " + timeout, ex);
        }
        catch (ExecutionException ex) {
            throw new StoreUnavailable("etcd failed " + what + ": " + ex.getCause().getMessage(), ex.getCause());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new StoreUnavailable("interrupted waiting for etcd " + what, ex);
        }
    }
}

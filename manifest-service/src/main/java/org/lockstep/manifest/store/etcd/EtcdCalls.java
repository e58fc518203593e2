package org.lockstep.manifest.store.etcd;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.lockstep.manifest.store.StoreUnavailable;

/**
 * The one place that waits for etcd. Every call is bounded by the configured timeout, so an unreachable cluster
 * turns into {@link StoreUnavailable} (a 503) within seconds instead of a request thread hanging on gRPC retries; a
 * failure says what was refused ({@link EtcdFault}, e.g. {@code etcd-auth-failed: ...}).
 */
final class EtcdCalls {

    private final EtcdSettings settings;

    private final Duration timeout;

    EtcdCalls(EtcdSettings settings) {
        this.settings = settings;
        this.timeout = settings.timeout();
    }

    <T> T await(CompletableFuture<T> call, String what) {
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException ex) {
            call.cancel(true);
            throw new EtcdFault(EtcdProblem.NOT_ANSWERING, "etcd did not answer " + what + " within " + timeout, ex);
        }
        catch (ExecutionException ex) {
            EtcdFault fault = EtcdFaults.classify(ex.getCause(), settings, timeout);
            throw new EtcdFault(fault.problem(), what + ": " + fault.detail(), ex.getCause());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new StoreUnavailable("interrupted waiting for etcd " + what, ex);
        }
    }
}

package org.lockstep.manifest.api;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.change.Change;
import org.lockstep.manifest.rollout.RolloutService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Agents' long-polls. A waiting poll is a servlet {@link AsyncContext}, so no thread waits with it. When the change
 * channel announces a new revision (right after the change is durable, whichever manifest instance made it), the
 * waiting polls are answered on this class's own thread, not on the thread that made the change: the request that
 * caused it (an activating report) is answered at once, and the polls get the pre-serialized bytes of
 * {@link DesiredStates}, written straight to their responses. A change that leaves the desired state alone (a
 * heartbeat) answers none.
 */
@Component
class DesiredStateWaiters implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DesiredStateWaiters.class);

    private final DesiredStates desired;

    private final Duration pollTimeout;

    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();

    private final ExecutorService fanOut = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "desired-fan-out");
        thread.setDaemon(true);
        return thread;
    });

    DesiredStateWaiters(RolloutService rollouts, DesiredStates desired, ManifestProperties properties) {
        this.desired = desired;
        this.pollTimeout = properties.pollTimeout();
        rollouts.changes().subscribe(this::changed);
    }

    /**
     * Answers at once when the revision differs from {@code since} (newer, or a rebuilt store behind it), else holds
     * the request until the next new revision or after {@code wait} (at most {@code poll-timeout}; {@code null}:
     * {@code poll-timeout}).
     */
    void await(String host, long since, Duration wait, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Duration hold = wait == null || wait.compareTo(pollTimeout) > 0 ? pollTimeout : wait;
        if (desired.newestRevision() != since || hold.isZero()) {
            write(response, desired.forHost(host, 0));
            return;
        }
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(Math.max(1, hold.toMillis()));
        Waiter waiter = new Waiter(host, since, async);
        async.addListener(waiter);
        waiters.add(waiter);
        if (desired.newestRevision() != since) {
            answer(waiter); // the revision moved between the first check and registration
        }
    }

    int waiting() {
        return waiters.size();
    }

    private void changed(Change change) {
        if (change.newRevision()) {
            fanOut.execute(this::answerEveryoneBehind);
        }
    }

    private void answerEveryoneBehind() {
        long newest = desired.newestRevision();
        for (Waiter waiter : waiters) {
            if (waiter.since() != newest) {
                answer(waiter);
            }
        }
    }

    private void answer(Waiter waiter) {
        waiters.remove(waiter);
        waiter.respond();
    }

    private static void write(HttpServletResponse response, DesiredStates.Answer answer) throws IOException {
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(answer.json().length);
        response.getOutputStream().write(answer.json());
    }

    @Override
    public void destroy() {
        fanOut.shutdownNow();
    }

    /** One held poll; identity, not value: two polls of one host with the same revision are two waiters. */
    private final class Waiter implements AsyncListener {

        private final String host;

        private final long since;

        private final AsyncContext async;

        private boolean done;

        Waiter(String host, long since, AsyncContext async) {
            this.host = host;
            this.since = since;
            this.async = async;
        }

        long since() {
            return since;
        }

        /**
         * Writes the current answer and completes, once: the fan-out and the timeout may race, and the loser waits
         * here until the winner has completed the request (the container must see it completed after a timeout).
         */
        synchronized void respond() {
            if (done) {
                return;
            }
            done = true;
            try {
                write((HttpServletResponse) async.getResponse(), desired.forHost(host, 0));
            }
            catch (IOException | IllegalStateException ex) {
                log.debug("event=poll-answer-failed host={} error={}", host, ex.toString());
            }
            finally {
                complete();
            }
        }

        private void complete() {
            try {
                async.complete();
            }
            catch (IllegalStateException alreadyOver) {
                log.debug("event=poll-already-complete host={}", host);
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            answer(this);
        }

        @Override
        public void onError(AsyncEvent event) {
            waiters.remove(this);
            synchronized (this) {
                if (!done) {
                    done = true;
                    complete();
                }
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            waiters.remove(this);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not restarted
        }
    }
}

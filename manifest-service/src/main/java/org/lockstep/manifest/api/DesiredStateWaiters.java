package org.lockstep.manifest.api;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

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
 * heartbeat) answers none. An answer is a few hundred bytes per repository, within the kernel's send buffer of any
 * connection (the last answer on it was read, or the agent would not have polled again), so flushing it on this
 * thread does not wait for the agent to read.
 *
 * <p>Metrics: {@code lockstep_polls_fanout_seconds}, per new revision, its announcement to the last held poll's
 * answer flushed; {@code lockstep_polls_held}, the polls held now.
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

    private final Timer fanOutTime;

    DesiredStateWaiters(RolloutService rollouts, DesiredStates desired, ManifestProperties properties,
                        MeterRegistry registry) {
        this.desired = desired;
        this.pollTimeout = properties.pollTimeout();
        this.fanOutTime = Timer.builder("lockstep.polls.fanout")
                .description("Per new desired revision: its announcement to the last held poll answered")
                .serviceLevelObjectives(millis(1, 5, 10, 25, 50, 100, 200, 500, 1000, 2500, 5000, 10_000))
                .register(registry);
        Gauge.builder("lockstep.polls.held", waiters, Set::size).description("Agents' long-polls held now")
                .register(registry);
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

    private static Duration[] millis(long... values) {
        return Arrays.stream(values).mapToObj(Duration::ofMillis).toArray(Duration[]::new);
    }

    private void changed(Change change) {
        if (change.newRevision()) {
            long announced = System.nanoTime();
            fanOut.execute(() -> answerEveryoneBehind(announced));
        }
    }

    /**
     * Two passes: every answer is written and flushed first, then every request completed. Completing one lets
     * Tomcat read that connection's next request (the agent polls again at once), and handling those polls while
     * answers are still to be sent would make the last agents wait for the first ones' new polls.
     */
    private void answerEveryoneBehind(long announced) {
        long newest = desired.newestRevision();
        List<Waiter> answered = new ArrayList<>();
        for (Waiter waiter : waiters) {
            if (waiter.since() != newest) {
                waiters.remove(waiter);
                if (waiter.send()) {
                    answered.add(waiter);
                }
            }
        }
        if (!answered.isEmpty()) {
            fanOutTime.record(System.nanoTime() - announced, TimeUnit.NANOSECONDS);
        }
        answered.forEach(Waiter::complete);
    }

    private void answer(Waiter waiter) {
        waiters.remove(waiter);
        waiter.send();
        waiter.complete();
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
         * Writes and flushes the current answer, once: the fan-out and the timeout may race. Whoever sends it, and
         * the loser too, then {@linkplain #complete() completes} the request (the container must see it completed
         * after a timeout; a second completion is refused and ignored).
         */
        synchronized boolean send() {
            if (done) {
                return false;
            }
            done = true;
            try {
                HttpServletResponse response = (HttpServletResponse) async.getResponse();
                write(response, desired.forHost(host, 0));
                response.flushBuffer();
            }
            catch (IOException | IllegalStateException ex) {
                log.debug("event=poll-answer-failed host={} error={}", host, ex.toString());
            }
            return true;
        }

        void complete() {
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

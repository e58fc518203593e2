package org.lockstep.agent.sync;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two threads of one repository in the running agent: {@code lockstep-<repo>}, the control thread, reconciles
 * every desired state as soon as it is offered (switches are quick: a {@code rename(2)}), and
 * {@code lockstep-<repo>-background} runs the slow tasks it hands out (preparations, pruning), one at a time. No
 * thread is shared between repositories, so nothing one repository does can delay another.
 */
final class RepoRunner {

    private static final Logger log = LoggerFactory.getLogger(RepoRunner.class);

    private final RepoWorker worker;

    private final Runnable reportSoon;

    private final String host;

    private final Thread control;

    private final ExecutorService background;

    RepoRunner(RepoWorker worker, Runnable reportSoon, String host) {
        this.worker = worker;
        this.reportSoon = reportSoon;
        this.host = host;
        String repo = worker.sync().repo();
        this.control = new Thread(this::run, "lockstep-" + repo);
        control.setDaemon(true);
        this.background = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "lockstep-" + repo + "-background");
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        control.start();
    }

    RepoWorker worker() {
        return worker;
    }

    private void run() {
        while (true) {
            try {
                if (!worker.awaitWork()) {
                    return;
                }
                RepoWorker.Reconciled done = worker.reconcile();
                if (done.task() != null) {
                    background.execute(done.task());
                }
                if (done.events().stream().anyMatch(SyncEvent::worthReporting)) {
                    reportSoon.run();
                }
            }
            catch (InterruptedException e) {
                return;
            }
            catch (RuntimeException e) {
                // reconcile turns every failure it expects into a reported event: this is a bug. Keep going, slowly.
                log.error("event=repo-worker-failed repo={} host={} error={}", worker.sync().repo(), host,
                        LogText.quoted(e.toString()), e);
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    /** Stops taking work and cancels the preparation in progress; returns at once (see {@link #await}). */
    void stop() {
        worker.stop();
        background.shutdown();
    }

    /** Waits until both threads have ended or {@code deadline} (System.nanoTime) passed; whether they ended. */
    boolean await(long deadline) throws InterruptedException {
        control.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        return !control.isAlive()
                && background.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

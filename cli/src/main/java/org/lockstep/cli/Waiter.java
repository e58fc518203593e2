package org.lockstep.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.lockstep.cli.Views.Host;
import org.lockstep.cli.Views.Repo;
import org.lockstep.cli.Views.Rollout;
import org.lockstep.cli.Views.State;

/**
 * Waits for one rollout by polling the public API ({@code GET /api/v1/rollouts/{id}} and
 * {@code GET /api/v1/repos/{repo}}) and prints each change once. A manifest that stops answering during the wait
 * is tried again (the client fails over between URLs) until the timeout; only if none answers by then does the
 * wait end with {@link ExitCode#UNREACHABLE}.
 */
final class Waiter {

    /** How long to keep collecting other hosts' errors once one host failed permanently. */
    static final Duration SETTLE = Duration.ofSeconds(5);

    private final ManifestClient client;

    private final Output output;

    private final Clock clock;

    private final Duration interval;

    Waiter(ManifestClient client, Output output, Clock clock, Duration interval) {
        this.client = client;
        this.output = output;
        this.clock = clock;
        this.interval = interval;
    }

    /** Waits for the rollout with this id; returns the exit code. */
    int await(long id, Duration timeout) {
        return await(client.get("/api/v1/rollouts/" + id, Rollout.class), timeout);
    }

    /** Waits for {@code start} (as the API just returned it) to end; returns the exit code. */
    int await(Rollout start, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        RolloutWatch watch = new RolloutWatch(SETTLE);
        output.line("waiting up to " + DurationConverter.format(timeout) + " for rollout " + start.id() + " of "
                + start.repo() + " (" + Texts.commit(start.commit()) + ", " + Texts.plural(start.hostsExpected(),
                "host") + ")");
        Rollout rollout = start;
        Repo repo = null;
        CliFailure unreachable = null;
        while (true) {
            try {
                rollout = client.get("/api/v1/rollouts/" + start.id(), Rollout.class);
                repo = client.get("/api/v1/repos/" + rollout.repo(), Repo.class);
                Optional<List<Host>> hosts = HostMarks.every(client, repo);
                if (hosts.isPresent()) {
                    repo = repo.withHosts(hosts.get());
                    rollout = HostMarks.marked(rollout, hosts.get());
                }
                if (unreachable != null) {
                    output.line("the manifest answers again");
                    unreachable = null;
                }
            }
            catch (CliFailure failure) {
                if (failure.exitCode() != ExitCode.UNREACHABLE) {
                    throw failure;
                }
                if (unreachable == null) {
                    output.problem("lockstep: " + failure.getMessage() + "; trying again until the timeout");
                }
                unreachable = failure;
            }
            Instant now = clock.instant();
            if (unreachable == null) {
                print(rollout, watch.observe(rollout, now));
                Optional<Verdict> verdict = watch.verdict(rollout, repo, now);
                if (verdict.isPresent()) {
                    return finish(verdict.get());
                }
                output.progress(RolloutWatch.progress(rollout, repo));
            }
            if (!now.isBefore(deadline)) {
                if (unreachable != null) {
                    throw unreachable;
                }
                return finish(watch.timedOut(rollout, waitedFor(rollout, repo), timeout, now));
            }
            sleep(Duration.between(now, deadline).compareTo(interval) < 0 ? Duration.between(now, deadline)
                    : interval);
        }
    }

    /**
     * {@code repo} with the hosts {@code rollout} waits for read, when the fleet was too large to read whole: the
     * first of those not prepared yet, or not switched yet (by name, as the rollout names them).
     */
    private Repo waitedFor(Rollout rollout, Repo repo) {
        if (repo == null || !repo.hosts().isEmpty() || rollout.waitingFor().isEmpty()) {
            return repo;
        }
        String state = rollout.state() == State.ACTIVATING ? "lagging" : "preparing";
        try {
            return repo.withHosts(HostMarks.inState(client, repo.name(), state));
        }
        catch (CliFailure failure) {
            output.verbose("could not read the hosts waited for: " + failure.getMessage());
            return repo;
        }
    }

    private void print(Rollout rollout, List<WaitEvent> changes) {
        for (WaitEvent change : changes) {
            output.line(change.text());
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("rollout", rollout.id());
            fields.put("repo", rollout.repo());
            fields.putAll(change.fields());
            output.event(change.name(), fields);
        }
    }

    private int finish(Verdict verdict) {
        Map<String, Object> fields = new LinkedHashMap<>(verdict.fields());
        fields.put("exitCode", verdict.exitCode().code());
        fields.put("message", verdict.message());
        output.event(verdict.outcome(), fields);
        if (verdict.exitCode() == ExitCode.COMPLETE) {
            output.line(verdict.message());
        }
        else {
            output.problem("lockstep: " + verdict.message());
        }
        return verdict.exitCode().code();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(Math.max(1, duration.toMillis()));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCode.TIMED_OUT, "interrupted while waiting");
        }
    }
}

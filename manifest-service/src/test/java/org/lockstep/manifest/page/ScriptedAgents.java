package org.lockstep.manifest.page;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.lockstep.protocol.AgentReport;
import org.lockstep.protocol.AgentReport.RepoReport;
import org.lockstep.protocol.DesiredState;
import org.lockstep.protocol.DesiredState.RepoDesired;
import org.lockstep.testing.manifest.ManifestApi;

/**
 * Stands in for the agents of a fleet over the manifest's real HTTP API: each host reports what it "has on disk"
 * every {@link #PERIOD} and follows the desired state in the answer the way a real agent does (prepare the target,
 * switch to the active commit once prepared, point {@code next} back at {@code current} when a target is
 * withdrawn). Nothing is materialized: real agents are covered by the system tests. A host can be held (it does not
 * prepare new targets) or made to fail, to show a stuck rollout.
 */
final class ScriptedAgents implements AutoCloseable {

    static final Duration PERIOD = Duration.ofMillis(200);

    private final ManifestApi api;

    private final Map<String, Host> hosts = new ConcurrentHashMap<>();

    private final ScheduledExecutorService loop = Executors.newScheduledThreadPool(2, r -> {
        Thread thread = new Thread(r, "scripted-agent");
        thread.setDaemon(true);
        return thread;
    });

    ScriptedAgents(String baseUrl) {
        this.api = new ManifestApi(baseUrl).withTimeout(Duration.ofSeconds(5));
    }

    /** Starts host {@code name}, serving {@code repos}, with the agent token {@code token}. */
    void start(String name, String token, Set<String> repos) {
        Host host = new Host(name, token);
        repos.forEach(repo -> host.disk.put(repo, new Disk()));
        hosts.put(name, host);
        loop.scheduleWithFixedDelay(() -> host.tick(), 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The host keeps reporting but prepares nothing new until released. */
    void hold(String... names) {
        for (String name : names) {
            hosts.get(name).held = true;
        }
    }

    void release(String... names) {
        for (String name : names) {
            Host host = hosts.get(name);
            host.held = false;
            host.error = null;
        }
    }

    /** The host fails to prepare any new target, with {@code error} as its last error. */
    void fail(String name, String error) {
        hosts.get(name).error = error;
    }

    /** What {@code host} serves for {@code repo}. */
    String current(String host, String repo) {
        return hosts.get(host).disk.get(repo).current;
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }

    /** What one repository looks like on a host's disk. */
    private static final class Disk {
        volatile String current;

        volatile String next;

        volatile String preparing;

        volatile String error;

        volatile String errorCommit;

        volatile Instant switchedAt;
    }

    private final class Host {

        final String name;

        final String token;

        final Map<String, Disk> disk = new ConcurrentHashMap<>();

        volatile boolean held;

        volatile String error;

        Host(String name, String token) {
            this.name = name;
            this.token = token;
        }

        void tick() {
            try {
                DesiredState desired = report();
                for (RepoDesired repo : desired.repos()) {
                    Disk d = disk.get(repo.repo());
                    if (d != null && follow(d, repo)) {
                        report();
                    }
                }
            }
            catch (Exception ex) {
                // The manifest is starting or stopping; a real agent retries too.
            }
        }

        /** One step of an agent's loop; whether anything on "disk" changed. */
        boolean follow(Disk d, RepoDesired desired) {
            String active = desired.active();
            String target = desired.target();
            if (active != null && !active.equals(d.current) && (active.equals(d.next) || !held && error == null)) {
                d.current = active;
                d.next = target == null || d.next == null ? active : d.next;
                d.switchedAt = Instant.now();
                return true;
            }
            if (target != null && !target.equals(d.next) && !target.equals(d.current)) {
                if (error != null) {
                    boolean changed = !Objects.equals(d.error, error) || !target.equals(d.errorCommit);
                    d.preparing = null;
                    d.error = error;
                    d.errorCommit = target;
                    return changed;
                }
                if (held) {
                    boolean changed = !target.equals(d.preparing);
                    d.preparing = target;
                    return changed;
                }
                d.next = target;
                d.preparing = null;
                d.error = null;
                d.errorCommit = null;
                return true;
            }
            if (target == null && d.current != null && !d.current.equals(d.next)) {
                d.next = d.current;
                d.preparing = null;
                return true;
            }
            if (target == null && (d.preparing != null || d.error != null)) {
                d.preparing = null;
                d.error = null;
                d.errorCommit = null;
                return true;
            }
            return false;
        }

        DesiredState report() throws Exception {
            List<RepoReport> repos = new ArrayList<>();
            disk.forEach((repo, d) -> repos.add(new RepoReport(repo, d.current, d.next, d.preparing, d.error,
                    d.errorCommit, d.switchedAt)));
            ManifestApi.Response response = api.report(name, token, new AgentReport(Instant.now(), null, 0, repos));
            if (response.status() != 200) {
                throw new IllegalStateException("report of " + name + " answered " + response);
            }
            return ManifestApi.JSON.readValue(response.body(), DesiredState.class);
        }
    }
}

package org.lockstep.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import org.awaitility.Awaitility;

import tools.jackson.databind.JsonNode;

/**
 * One machine's worth of Lockstep: a schema repository behind git daemon, the manifest service, and one agent (and
 * optionally one nginx) per host, every one a real process. Closing it stops everything it started.
 */
final class Fleet implements AutoCloseable {

    static final String REPO = "primary";

    static final List<String> HOSTS = List.of("schema1003", "schema1004", "schema2003", "schema2004");

    final Path root;

    final SchemaRepo schemas;

    final GitDaemon daemon;

    final ManifestProcess manifest;

    final Map<String, AgentProcess> agents = new LinkedHashMap<>();

    final Map<String, Nginx> web = new LinkedHashMap<>();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private LinkRecorder recorder;

    Fleet(List<String> hosts) {
        this.root = Processes.worldReadableTempDir("lockstep-system-");
        this.schemas = new SchemaRepo(root, "schemas");
        this.daemon = track(new GitDaemon(root, root.resolve("git-daemon.log")));
        this.manifest = track(new ManifestProcess(root.resolve("manifest"), REPO, daemon.url("schemas.git"), hosts));
        for (String host : hosts) {
            agents.put(host, track(new AgentProcess(root.resolve("hosts").resolve(host), host,
                    List.of(manifest.url()), REPO, daemon.url("schemas.git"))));
        }
    }

    Fleet() {
        this(HOSTS);
    }

    /** Starts the manifest and every agent, and begins recording the links. */
    Fleet start() {
        manifest.start();
        agents.values().forEach(AgentProcess::start);
        Map<String, Path> dirs = new LinkedHashMap<>();
        agents.forEach((host, agent) -> dirs.put(host, agent.repoDir()));
        recorder = track(new LinkRecorder(dirs));
        return this;
    }

    /** Puts a real nginx in front of every host, configured by {@code serverBody(baseDir, repo)}. */
    Fleet serveWith(BiFunction<Path, String, String> serverBody) {
        agents.forEach((host, agent) -> web.put(host, track(new Nginx(root.resolve("nginx").resolve(host),
                Processes.freePort(), serverBody.apply(agent.baseDir(), REPO)))));
        return this;
    }

    /** Puts a real nginx in front of every host, configured exactly as the puppet module renders it. */
    Fleet serveWithPuppetConfig() {
        agents.forEach((host, agent) -> web.put(host, track(Nginx.fromPuppet(root.resolve("nginx").resolve(host),
                Processes.freePort(), agent.baseDir(), REPO))));
        return this;
    }

    ManifestApi api() {
        return manifest.api();
    }

    /** Sets a target with the CI token and waits until every host serves it. */
    void deploy(String commit) {
        api().setTarget(ManifestProcess.CI_TOKEN, REPO, commit, "system test").expect(202);
        awaitEveryHostServes(commit, Duration.ofSeconds(90));
    }

    /** Adds schema version 1.0.0, starts the fleet and deploys it: where most scenarios begin. */
    String startWithFirstVersionDeployed() {
        String first = schemas.addVersion("test-event", "1.0.0");
        start();
        deploy(first);
        return first;
    }

    /** Waits until every host has {@code commit} prepared ({@code next} points at it). */
    void awaitEveryHostPrepared(String commit) {
        Awaitility.await("every host prepared " + commit).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> agents.values().stream().allMatch(a -> commit.equals(a.next().orElse(null))));
    }

    void awaitEveryHostServes(String commit, Duration atMost) {
        Awaitility.await("every host serves " + commit).atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> agents.values().stream().allMatch(a -> commit.equals(a.current().orElse(null))));
    }

    /** The state of the rollout that set {@code commit}, from the manifest's history. */
    String rolloutState(String commit) {
        for (JsonNode rollout : api().rollouts(REPO).get("items")) {
            if (rollout.get("commit").asString().equals(commit)) {
                return rollout.get("state").asString();
            }
        }
        return null;
    }

    void awaitRolloutState(String commit, String state, Duration atMost) {
        Awaitility.await("rollout of " + commit + " " + state).atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> state.equals(rolloutState(commit)));
    }

    Process daemonProcess() {
        return daemon.process();
    }

    LinkRecorder recorder() {
        return recorder;
    }

    /** The observed history checked against the manifest's own history (docs/design.md invariants 1 and 3). */
    Invariants invariants() {
        return new Invariants(recorder, api().rollouts(REPO));
    }

    private <T extends AutoCloseable> T track(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            }
            catch (Exception ex) {
                // keep stopping the rest: nothing may outlive the test
            }
        }
    }
}

package org.lockstep.testing.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import org.awaitility.Awaitility;
import org.lockstep.testing.Dirs;
import org.lockstep.testing.GitDaemon;
import org.lockstep.testing.Processes;
import org.lockstep.testing.agent.AgentConfig;
import org.lockstep.testing.agent.AgentProcess;
import org.lockstep.testing.manifest.ManifestApi;
import org.lockstep.testing.manifest.ManifestConfig;
import org.lockstep.testing.manifest.ManifestProcess;
import org.lockstep.testing.manifest.Tokens;
import tools.jackson.databind.JsonNode;

/**
 * One machine's worth of Lockstep: a schema repository behind {@code git daemon}, the manifest service, and one agent
 * (and optionally one nginx) per host, every one a real process in a world-readable temporary directory. Tokens are
 * {@link Tokens}'. Closing it stops everything it started, in reverse order.
 */
public final class Fleet implements AutoCloseable {

    public static final String REPO = "primary";

    public static final List<String> HOSTS = List.of("schema1003", "schema1004", "schema2003", "schema2004");

    private final Path root;

    private final SchemaRepo schemas;

    private final GitDaemon daemon;

    private final ManifestProcess manifest;

    private final Map<String, AgentProcess> agents = new LinkedHashMap<>();

    private final Map<String, Nginx> web = new LinkedHashMap<>();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private LinkRecorder recorder;

    /** Sets up (starts nothing but git daemon) a fleet of {@code hosts} around one manifest. */
    public Fleet(List<String> hosts) {
        this(hosts, manifest -> { }, (host, agent) -> { });
    }

    /**
     * A fleet whose configuration a test adds to before anything is written: {@code manifest} gets the manifest's
     * (a webhook secret, a repository property), {@code agents} each host's (a verify command on one host).
     */
    public Fleet(List<String> hosts, Consumer<ManifestConfig> manifest, BiConsumer<String, AgentConfig> agents) {
        this.root = Dirs.worldReadableTempDir("lockstep-system-");
        this.schemas = new SchemaRepo(root, "schemas");
        this.daemon = track(GitDaemon.serve(root, root.resolve("git-daemon.log")));
        String fetchUrl = daemon.url("schemas.git");
        try {
            ManifestConfig manifestConfig = ManifestConfig.create(root.resolve("manifest/data"))
                    .repo(REPO, fetchUrl, SchemaRepo.BRANCH, hosts).standardTokens(List.of(REPO), hosts);
            manifest.accept(manifestConfig);
            this.manifest = track(new ManifestProcess(root.resolve("manifest"), manifestConfig));
            for (String host : hosts) {
                AgentConfig agentConfig = AgentConfig.forHost(host, List.of(this.manifest.url())).heartbeat("2s")
                        .repo(REPO, fetchUrl);
                agents.accept(host, agentConfig);
                this.agents.put(host, track(new AgentProcess(root.resolve("hosts").resolve(host), agentConfig)));
            }
        }
        catch (RuntimeException ex) {
            close();
            throw ex;
        }
    }

    public Fleet() {
        this(HOSTS);
    }

    /** Starts the manifest and every agent, and begins recording the links. */
    public Fleet start() {
        manifest.start();
        agents.values().forEach(AgentProcess::start);
        Map<String, Path> dirs = new LinkedHashMap<>();
        agents.forEach((host, agent) -> dirs.put(host, agent.repoDir()));
        recorder = track(new LinkRecorder(dirs));
        return this;
    }

    /** Puts a real nginx in front of every host, configured by {@code serverBody(baseDir, repo)}. */
    public Fleet serveWith(BiFunction<Path, String, String> serverBody) {
        agents.forEach((host, agent) -> web.put(host, track(Nginx.around(root.resolve("nginx").resolve(host),
                Processes.freePort(), serverBody.apply(agent.baseDir(), REPO)))));
        return this;
    }

    /** Puts a real nginx in front of every host, configured exactly as the puppet module renders it. */
    public Fleet serveWithPuppetConfig() {
        agents.forEach((host, agent) -> web.put(host, track(Nginx.fromPuppet(root.resolve("nginx").resolve(host),
                Processes.freePort(), agent.baseDir(), REPO))));
        return this;
    }

    public ManifestApi api() {
        return manifest.api();
    }

    /** Sets a target with the CI token and waits until every host serves it. */
    public void deploy(String commit) {
        api().setTarget(Tokens.CI, REPO, commit, "system test").expect(202);
        awaitEveryHostServes(commit, Duration.ofSeconds(90));
    }

    /** Adds schema version 1.0.0, starts the fleet and deploys it: where most scenarios begin. */
    public String startWithFirstVersionDeployed() {
        String first = schemas.addVersion("test-event", "1.0.0");
        start();
        deploy(first);
        return first;
    }

    /** Waits until every host has {@code commit} prepared ({@code next} points at it). */
    public void awaitEveryHostPrepared(String commit) {
        Awaitility.await("every host prepared " + commit).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> agents.values().stream().allMatch(a -> commit.equals(a.next().orElse(null))));
    }

    public void awaitEveryHostServes(String commit, Duration atMost) {
        Awaitility.await("every host serves " + commit).atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> agents.values().stream().allMatch(a -> commit.equals(a.current().orElse(null))));
    }

    /** The state of the rollout that set {@code commit}, from the manifest's history; null when there is none. */
    public String rolloutState(String commit) {
        for (JsonNode rollout : api().rollouts(REPO).get("items")) {
            if (rollout.get("commit").asString().equals(commit)) {
                return rollout.get("state").asString();
            }
        }
        return null;
    }

    public void awaitRolloutState(String commit, String state, Duration atMost) {
        Awaitility.await("rollout of " + commit + " " + state).atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> state.equals(rolloutState(commit)));
    }

    /** The observed history checked against the manifest's whole history (docs/design.md invariants 1, 2, 3, 6). */
    public Invariants invariants() {
        return new Invariants(recorder, api().rolloutHistory(REPO));
    }

    public Path root() {
        return root;
    }

    public SchemaRepo schemas() {
        return schemas;
    }

    public GitDaemon daemon() {
        return daemon;
    }

    public ManifestProcess manifest() {
        return manifest;
    }

    /** Host to its agent, in the order the hosts were given. */
    public Map<String, AgentProcess> agents() {
        return Collections.unmodifiableMap(agents);
    }

    public AgentProcess agent(String host) {
        return agents.get(host);
    }

    /** Host to its nginx, once {@link #serveWith} or {@link #serveWithPuppetConfig} ran. */
    public Map<String, Nginx> web() {
        return Collections.unmodifiableMap(web);
    }

    public LinkRecorder recorder() {
        return recorder;
    }

    private <T extends AutoCloseable> T track(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    /** Stops everything, even when one stop fails: nothing may outlive the test. The first failure is rethrown. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            }
            catch (Exception ex) {
                if (first == null) {
                    first = new IllegalStateException("could not stop " + closeables.get(i), ex);
                }
                else {
                    first.addSuppressed(ex);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}

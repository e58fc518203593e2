package org.lockstep.testing.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Collectors;

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
 * One machine's worth of Lockstep: a schema repository behind {@code git daemon} ({@link #REPO}, and more when the
 * {@link Layout} names them, each with every host expected), the manifest service (one instance, or several on one
 * etcd, as a {@link Layout} says), and one agent (and optionally one nginx) per host serving every repository, every
 * one a real process in a world-readable temporary directory. Tokens are {@link Tokens}'. Closing it stops everything
 * it started, in reverse order. The methods without a repository argument are about {@link #REPO}.
 */
public final class Fleet implements AutoCloseable {

    public static final String REPO = "primary";

    /** The second repository of the real fleet, whose schemas {@code $ref} {@link #REPO}'s (issue 13). */
    public static final String SECONDARY = "secondary";

    public static final List<String> HOSTS = List.of("schema1003", "schema1004", "schema2003", "schema2004");

    private final Path root;

    private final Map<String, SchemaRepo> repos = new LinkedHashMap<>();

    private final GitDaemon daemon;

    private final Map<String, ManifestProcess> manifests = new LinkedHashMap<>();

    private final Map<String, AgentProcess> agents = new LinkedHashMap<>();

    private final Map<String, Nginx> web = new LinkedHashMap<>();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private String talkingTo;

    private final Map<String, LinkRecorder> recorders = new LinkedHashMap<>();

    /** Rollout id -> host -> when the manifest saw the host prepare it, as sampled by {@link #observePreparations}. */
    private final Map<Long, Map<String, Instant>> preparations = new LinkedHashMap<>();

    /** Sets up (starts nothing but git daemon) a fleet of {@code hosts} around one manifest. */
    public Fleet(List<String> hosts) {
        this(Layout.oneManifest(hosts));
    }

    public Fleet() {
        this(HOSTS);
    }

    /**
     * A fleet whose configuration a test adds to before anything is written: {@code manifest} gets the manifest's
     * (a webhook secret, a repository property), {@code agents} each host's (a verify command on one host).
     */
    public Fleet(List<String> hosts, Consumer<ManifestConfig> manifest, BiConsumer<String, AgentConfig> agents) {
        this(Layout.oneManifest(hosts, manifest).agents(agents));
    }

    /** Sets up (starts nothing but git daemon) the manifest instances and hosts of {@code layout}. */
    public Fleet(Layout layout) {
        this.root = Dirs.worldReadableTempDir("lockstep-system-");
        // The first repository keeps the bare name it always had (schemas.git); the others are named after theirs.
        layout.repos.forEach(repo -> repos.put(repo, new SchemaRepo(root, repo.equals(REPO) ? "schemas" : repo)));
        this.daemon = track(GitDaemon.serve(root, root.resolve("git-daemon.log")));
        Map<String, String> fetchUrls = new LinkedHashMap<>();
        repos.forEach((repo, schemas) -> fetchUrls.put(repo, daemon.url(schemas.bare().getFileName().toString())));
        List<String> hosts = List.copyOf(layout.hosts.keySet());
        try {
            layout.manifests.forEach((name, config) -> {
                ManifestConfig manifestConfig = ManifestConfig.create(root.resolve(name).resolve("data"));
                fetchUrls.forEach((repo, url) -> manifestConfig.repo(repo, url, SchemaRepo.BRANCH, hosts));
                manifestConfig.standardTokens(List.copyOf(repos.keySet()), hosts);
                config.accept(manifestConfig);
                manifests.put(name, track(new ManifestProcess(root.resolve(name), manifestConfig)));
            });
            this.talkingTo = layout.manifests.keySet().iterator().next();
            layout.hosts.forEach((host, polled) -> {
                List<String> urls = polled.stream().map(name -> manifests.get(name).url()).toList();
                AgentConfig agentConfig = AgentConfig.forHost(host, urls).heartbeat("2s");
                fetchUrls.forEach(agentConfig::repo);
                layout.agents.accept(host, agentConfig);
                agents.put(host, track(new AgentProcess(root.resolve("hosts").resolve(host), agentConfig)));
            });
        }
        catch (RuntimeException ex) {
            close();
            throw ex;
        }
    }

    /** Starts every manifest instance (together) and every agent, and begins recording the links. */
    public Fleet start() {
        manifests.values().forEach(ManifestProcess::launch);
        manifests.values().forEach(ManifestProcess::awaitHealthy);
        agents.values().forEach(AgentProcess::start);
        for (String repo : repos.keySet()) {
            Map<String, Path> dirs = new LinkedHashMap<>();
            agents.forEach((host, agent) -> dirs.put(host, agent.repoDir(repo)));
            recorders.put(repo, track(new LinkRecorder(dirs)));
        }
        return this;
    }

    /** Puts a real nginx in front of every host, configured by {@code serverBody(baseDir, repo)} per repository. */
    public Fleet serveWith(BiFunction<Path, String, String> serverBody) {
        agents.forEach((host, agent) -> web.put(host, track(Nginx.around(root.resolve("nginx").resolve(host),
                Processes.freePort(), repos.keySet().stream().map(repo -> serverBody.apply(agent.baseDir(), repo))
                        .collect(Collectors.joining("\n"))))));
        return this;
    }

    /** Puts a real nginx in front of every host, configured exactly as the puppet module renders it. */
    public Fleet serveWithPuppetConfig() {
        agents.forEach((host, agent) -> web.put(host, track(Nginx.fromPuppet(root.resolve("nginx").resolve(host),
                Processes.freePort(), agent.baseDir(), List.copyOf(repos.keySet())))));
        return this;
    }

    /** The API of the instance the test talks to: the first of the layout, or the one {@link #talkTo} named. */
    public ManifestApi api() {
        return manifests.get(talkingTo).api();
    }

    /** The API of instance {@code name}. */
    public ManifestApi api(String name) {
        return manifest(name).api();
    }

    /** From now on {@link #api()} (and so deploy, rollout states, invariants) goes to instance {@code name}. */
    public Fleet talkTo(String name) {
        manifest(name);
        talkingTo = name;
        return this;
    }

    /** Sets a target with the CI token and waits until every host serves it. */
    public void deploy(String commit) {
        deploy(REPO, commit);
    }

    public void deploy(String repo, String commit) {
        api().setTarget(Tokens.CI, repo, commit, "system test").expect(202);
        awaitEveryHostServes(repo, commit, Duration.ofSeconds(90));
    }

    /** Adds schema version 1.0.0, starts the fleet and deploys it: where most scenarios begin. */
    public String startWithFirstVersionDeployed() {
        String first = schemas().addVersion("test-event", "1.0.0");
        start();
        deploy(first);
        return first;
    }

    /** Waits until every host has {@code commit} prepared ({@code next} points at it). */
    public void awaitEveryHostPrepared(String commit) {
        awaitEveryHostPrepared(REPO, commit);
    }

    public void awaitEveryHostPrepared(String repo, String commit) {
        Awaitility.await("every host prepared " + repo + " " + commit).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> agents.values().stream().allMatch(a -> commit.equals(a.next(repo).orElse(null))));
    }

    public void awaitEveryHostServes(String commit, Duration atMost) {
        awaitEveryHostServes(REPO, commit, atMost);
    }

    public void awaitEveryHostServes(String repo, String commit, Duration atMost) {
        Awaitility.await("every host serves " + repo + " " + commit).atMost(atMost)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> everyHostServes(repo, commit));
        try {
            observePreparations(repo);
        }
        catch (RuntimeException | AssertionError manifestAway) {
            // A test may wait for the hosts while the manifest is down: this sample is skipped, the next one counts.
        }
    }

    /** Whether every host's {@code current} of {@code repo} points at {@code commit}, read from disk now. */
    public boolean everyHostServes(String repo, String commit) {
        return agents.values().stream().allMatch(a -> commit.equals(a.current(repo).orElse(null)));
    }

    /** {@link #observePreparations(String)} of the fleet's first repository. */
    public void observePreparations() {
        observePreparations(REPO);
    }

    /**
     * Reads who prepared which rollout of {@code repo}, and when, from the manifest's hosts endpoint
     * ({@code GET /api/v1/repos/{repo}/hosts}: each host's entry keeps only its latest preparation, so this is
     * sampled as the history goes, after every rollout a test waits for, and checked by {@link Invariants}).
     * Rollout ids are unique across repositories, so one map holds them all.
     */
    public void observePreparations(String repo) {
        JsonNode page = api().get("/api/v1/repos/" + repo + "/hosts?size=500").expect(200).json();
        for (JsonNode host : page.path("items")) {
            JsonNode mark = host.path("prepared");
            if (mark.isObject()) {
                preparations.computeIfAbsent(mark.path("rollout").asLong(), id -> new LinkedHashMap<>())
                        .putIfAbsent(host.path("host").asString(), Instant.parse(mark.path("at").asString()));
            }
        }
    }

    /** The state of the rollout that set {@code commit}, from the manifest's history; null when there is none. */
    public String rolloutState(String commit) {
        return rolloutState(REPO, commit);
    }

    public String rolloutState(String repo, String commit) {
        return rollout(repo, commit).map(rollout -> rollout.get("state").asString()).orElse(null);
    }

    /** The newest rollout of {@code repo} that set {@code commit}, from the manifest's first page of history. */
    public Optional<JsonNode> rollout(String repo, String commit) {
        for (JsonNode rollout : api().rollouts(repo).get("items")) {
            if (rollout.get("commit").asString().equals(commit)) {
                return Optional.of(rollout);
            }
        }
        return Optional.empty();
    }

    public void awaitRolloutState(String commit, String state, Duration atMost) {
        awaitRolloutState(REPO, commit, state, atMost);
    }

    public void awaitRolloutState(String repo, String commit, String state, Duration atMost) {
        Awaitility.await("rollout of " + repo + " " + commit + " " + state).atMost(atMost)
                .pollInterval(Duration.ofMillis(100)).until(() -> state.equals(rolloutState(repo, commit)));
    }

    /** The observed history checked against the manifest's whole history (docs/design.md invariants 1, 2, 3, 6). */
    public Invariants invariants() {
        return invariants(REPO);
    }

    public Invariants invariants(String repo) {
        observePreparations(repo);
        return new Invariants(recorder(repo), api().rolloutHistory(repo), preparations);
    }

    public Path root() {
        return root;
    }

    public SchemaRepo schemas() {
        return schemas(REPO);
    }

    /** The schema repository {@code repo} is built in (a working clone pushed to what git daemon serves). */
    public SchemaRepo schemas(String repo) {
        SchemaRepo schemas = repos.get(repo);
        if (schemas == null) {
            throw new IllegalArgumentException("no repository " + repo + " in " + repos.keySet());
        }
        return schemas;
    }

    /** The repositories every host serves, {@link #REPO} first. */
    public List<String> repos() {
        return List.copyOf(repos.keySet());
    }

    public GitDaemon daemon() {
        return daemon;
    }

    /** The first manifest instance of the layout (the only one of a one-manifest fleet). */
    public ManifestProcess manifest() {
        return manifests.values().iterator().next();
    }

    public ManifestProcess manifest(String name) {
        ManifestProcess manifest = manifests.get(name);
        if (manifest == null) {
            throw new IllegalArgumentException("no manifest instance " + name + " in " + manifests.keySet());
        }
        return manifest;
    }

    /** Instance name to process, in the layout's order. */
    public Map<String, ManifestProcess> manifests() {
        return Collections.unmodifiableMap(manifests);
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
        return recorder(REPO);
    }

    /** What every host's links of {@code repo} did, once {@link #start} ran. */
    public LinkRecorder recorder(String repo) {
        schemas(repo);
        return recorders.get(repo);
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

    /**
     * Who runs where: the manifest instances by name (each with its own data directory and port, configured on top
     * of the fleet's repository and tokens), and for each host the instances its agent lists in
     * {@code manifest-urls}, in order.
     */
    public static final class Layout {

        private final Map<String, Consumer<ManifestConfig>> manifests = new LinkedHashMap<>();

        private final Map<String, List<String>> hosts = new LinkedHashMap<>();

        private final List<String> repos = new ArrayList<>(List.of(REPO));

        private BiConsumer<String, AgentConfig> agents = (host, agent) -> { };

        /** One instance, {@code manifest} on the embedded store, polled by every host: the default fleet. */
        public static Layout oneManifest(List<String> hosts) {
            return oneManifest(hosts, config -> { });
        }

        /** As {@link #oneManifest(List)}, {@code config} adding to the manifest's configuration. */
        public static Layout oneManifest(List<String> hosts, Consumer<ManifestConfig> config) {
            Layout layout = new Layout().manifest("manifest", config);
            hosts.forEach(host -> layout.host(host, "manifest"));
            return layout;
        }

        /** An instance named {@code name}; {@code config} adds to its configuration (e.g. the etcd store). */
        public Layout manifest(String name, Consumer<ManifestConfig> config) {
            manifests.put(name, config);
            return this;
        }

        /** A host whose agent polls {@code manifests} in this order (its own datacenter's first). */
        public Layout host(String host, String... manifestNames) {
            hosts.put(host, List.of(manifestNames));
            return this;
        }

        /**
         * Another repository besides {@link #REPO} (e.g. {@link #SECONDARY}): a schema repository of its own behind
         * the same git daemon, configured on every manifest instance (every host expected, the ci token allowed)
         * and on every agent.
         */
        public Layout repository(String repo) {
            if (repos.contains(repo)) {
                throw new IllegalArgumentException("repository " + repo + " is in the layout already");
            }
            repos.add(repo);
            return this;
        }

        /** Adds to each agent's configuration, given its host (e.g. shorter poll timeouts, a verify command). */
        public Layout agents(BiConsumer<String, AgentConfig> config) {
            this.agents = config;
            return this;
        }
    }
}

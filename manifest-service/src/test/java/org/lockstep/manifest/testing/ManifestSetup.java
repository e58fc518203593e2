package org.lockstep.manifest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lockstep.testing.Dirs;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.manifest.ManifestConfig;
import org.lockstep.testing.manifest.Tokens;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The repositories, hosts and tokens every HTTP integration test runs against: one upstream git repository per
 * configured repository in a temporary directory (made once per JVM, removed at exit), so that test classes sharing
 * one Spring context each have repositories of their own. The configuration itself is a toolkit
 * {@link ManifestConfig}, handed to Spring property by property.
 */
public final class ManifestSetup {

    /** Repository -> expected hosts. Each test class works on its own repositories. */
    public static final Map<String, List<String>> REPOS = new LinkedHashMap<>();

    static {
        REPOS.put("flow", List.of("h1", "h2"));
        REPOS.put("pausing", List.of("h1", "h2"));
        REPOS.put("cancelling", List.of("h1"));
        REPOS.put("rollback", List.of("h1"));
        REPOS.put("inputs", List.of("h3"));
        REPOS.put("roles", List.of("h3"));
        REPOS.put("other", List.of("h4"));
        REPOS.put("polls", List.of("p1"));
        REPOS.put("known", List.of("h1"));
        REPOS.put("hostile", List.of("h5"));
        REPOS.put("ordering", List.of("o1"));
        REPOS.put("primary", List.of("q1", "q2"));
        REPOS.put("secondary", List.of("q1", "q2"));
    }

    /** Configured with a URL where nothing is: every fetch fails. */
    public static final String UNREACHABLE = "unreachable";

    /** The repositories the ci token may set targets for (not {@code other}). */
    public static final List<String> CI_REPOS = List.of("flow", "pausing", "cancelling", "rollback", "inputs", "roles",
            "polls", "hostile", "ordering", "primary", "secondary", UNREACHABLE);

    /** The shared secrets of the webhooks, both configured; GitLab project and Gerrit project {@code schemas/hostile}
     * target the repository {@code hostile}, GitLab project {@code schemas/secondary} the repository
     * {@code secondary}, which is activated after {@code primary}. */
    public static final String GITLAB_SECRET = "gitlab-secret-of-the-shared-context";

    public static final String GERRIT_SECRET = "gerrit-secret-of-the-shared-context";

    public static final List<String> HOSTS = List.of("h1", "h2", "h3", "h4", "h5", "p1", "o1", "q1", "q2");

    private static final ManifestSetup INSTANCE = new ManifestSetup();

    private final Path root;

    private final Map<String, GitRepo> upstreams = new LinkedHashMap<>();

    private ManifestSetup() {
        try {
            root = Files.createTempDirectory("lockstep-manifest-it-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        for (String repo : REPOS.keySet()) {
            GitRepo upstream = GitRepo.init(root.resolve("upstream").resolve(repo));
            upstream.commit("initial commit of " + repo);
            upstreams.put(repo, upstream);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Dirs.delete(root)));
    }

    public static ManifestSetup get() {
        return INSTANCE;
    }

    public GitRepo upstream(String repo) {
        return upstreams.get(repo);
    }

    /** The data-dir of the context whose properties were registered with {@code name}. */
    public Path dataDir(String name) {
        return root.resolve(name);
    }

    /** Registers the whole configuration, with its own data-dir under {@code name} and a poll-timeout of 2 s. */
    public void register(DynamicPropertyRegistry registry, String name) {
        register(registry, name, "2s");
    }

    /** Dynamic properties win over {@code @SpringBootTest(properties)}, so a different poll-timeout comes here. */
    public void register(DynamicPropertyRegistry registry, String name, String pollTimeout) {
        config(name, pollTimeout).properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    /** Every repository with its hosts, the unreachable one, and {@link Tokens}' ci, operator and agent tokens. */
    public ManifestConfig config(String name, String pollTimeout) {
        ManifestConfig config = ManifestConfig.create(dataDir(name)).pollTimeout(pollTimeout);
        REPOS.forEach((repo, hosts) -> config.repo(repo, upstreams.get(repo).url(), hosts));
        config.repoProperty(UNREACHABLE, "url", root.resolve("nothing-here").toUri().toString())
                .repoProperty(UNREACHABLE, "hosts[0]", "h4")
                .repoProperty("hostile", "gitlab-project", "schemas/hostile")
                .repoProperty("hostile", "gerrit-project", "schemas/hostile")
                .repoProperty("secondary", "activate-after", "primary")
                .repoProperty("secondary", "gitlab-project", "schemas/secondary")
                .set("lockstep.manifest.hooks.gitlab.token-sha256", Tokens.sha256(GITLAB_SECRET))
                .set("lockstep.manifest.hooks.gerrit.token-sha256", Tokens.sha256(GERRIT_SECRET));
        return config.standardTokens(CI_REPOS, HOSTS);
    }
}

package org.lockstep.manifest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The repositories, hosts and tokens every HTTP integration test runs against: one upstream git repository per
 * configured repository in a temporary directory (made once per JVM, removed at exit), so that test classes sharing
 * one Spring context each have repositories of their own.
 */
public final class Fleet {

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
    }

    /** Configured with a URL where nothing is: every fetch fails. */
    public static final String UNREACHABLE = "unreachable";

    /** The repositories the ci token may set targets for (not {@code other}). */
    public static final List<String> CI_REPOS = List.of("flow", "pausing", "cancelling", "rollback", "inputs", "roles",
            "polls", UNREACHABLE);

    public static final List<String> HOSTS = List.of("h1", "h2", "h3", "h4", "p1");

    private static final Fleet INSTANCE = new Fleet();

    private final Path root;

    private final Map<String, UpstreamRepository> upstreams = new LinkedHashMap<>();

    private Fleet() {
        try {
            root = Files.createTempDirectory("lockstep-manifest-it-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        for (String repo : REPOS.keySet()) {
            UpstreamRepository upstream = UpstreamRepository.create(root.resolve("upstream").resolve(repo));
            upstream.commit("initial commit of " + repo);
            upstreams.put(repo, upstream);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
    }

    public static Fleet get() {
        return INSTANCE;
    }

    public UpstreamRepository upstream(String repo) {
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
        String prefix = "lockstep.manifest.";
        registry.add(prefix + "data-dir", () -> dataDir(name).toString());
        registry.add(prefix + "poll-timeout", () -> pollTimeout);
        REPOS.forEach((repo, hosts) -> {
            registry.add(prefix + "repos." + repo + ".url", upstreams.get(repo)::url);
            registry.add(prefix + "repos." + repo + ".branch", () -> "main");
            for (int i = 0; i < hosts.size(); i++) {
                String host = hosts.get(i);
                registry.add(prefix + "repos." + repo + ".hosts[" + i + "]", () -> host);
            }
        });
        registry.add(prefix + "repos." + UNREACHABLE + ".url", () -> root.resolve("nothing-here").toUri().toString());
        registry.add(prefix + "repos." + UNREACHABLE + ".hosts[0]", () -> "h4");
        int i = 0;
        token(registry, i++, "ci-pipeline", Tokens.CI, "ci");
        for (int r = 0; r < CI_REPOS.size(); r++) {
            String repo = CI_REPOS.get(r);
            registry.add(prefix + "tokens[0].repos[" + r + "]", () -> repo);
        }
        token(registry, i++, "alice", Tokens.OPERATOR, "operator");
        for (String host : HOSTS) {
            int index = i++;
            token(registry, index, "agent-" + host, Tokens.agent(host), "agent");
            registry.add(prefix + "tokens[" + index + "].host", () -> host);
        }
    }

    private static void token(DynamicPropertyRegistry registry, int index, String name, String secret, String role) {
        String prefix = "lockstep.manifest.tokens[" + index + "].";
        registry.add(prefix + "name", () -> name);
        registry.add(prefix + "sha256", () -> Tokens.sha256(secret));
        registry.add(prefix + "role", () -> role);
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (IOException | RuntimeException ex) {
            // best effort at exit: the directory is under the system's temporary directory anyway
        }
    }
}

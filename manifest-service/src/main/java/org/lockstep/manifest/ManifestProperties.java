package org.lockstep.manifest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.lockstep.protocol.HostName;
import org.lockstep.protocol.RepoName;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the manifest service ({@code lockstep.manifest.*}). Documented in docs/configuration.md.
 *
 * @param store          which store keeps the state: {@code embedded} (one instance) or {@code etcd}
 * @param dataDir        directory of the embedded store and of the manifest's git mirrors
 * @param etcd           etcd connection, used when {@code store=etcd}
 * @param repos          repository name -> how to fetch it and which hosts must serve it
 * @param tokens         API tokens, by the SHA-256 of their secret
 * @param hooks          shared secrets of webhooks
 * @param pollTimeout    how long an agent's long-poll is held before it is answered with no change
 * @param gitTimeout     timeout of one fetch of the manifest's mirror
 * @param maxRequestBody requests with a larger body are refused with 413
 */
@ConfigurationProperties("lockstep.manifest")
@Validated
public record ManifestProperties(
        @DefaultValue("embedded") @NotNull StoreKind store,
        @DefaultValue("/var/lib/lockstep-manifest") @NotNull Path dataDir,
        @DefaultValue @Valid Etcd etcd,
        @DefaultValue @Valid Map<String, Repo> repos,
        @DefaultValue @Valid List<Token> tokens,
        @DefaultValue @Valid Hooks hooks,
        @DefaultValue("30s") @NotNull Duration pollTimeout,
        @DefaultValue("60s") @NotNull Duration gitTimeout,
        @DefaultValue("64KB") @NotNull DataSize maxRequestBody) {

    public ManifestProperties {
        repos = new TreeMap<>(repos);
        repos.keySet().forEach(RepoName::of);
        repos.values().forEach(r -> r.hosts().forEach(HostName::of));
        RepoOrder.check(repos);
        tokens = List.copyOf(tokens);
    }

    /** The store families. */
    public enum StoreKind {
        /** A single file under {@code data-dir}; one manifest instance. */
        embedded,
        /** An etcd cluster shared by several manifest instances. */
        etcd
    }

    /**
     * @param endpoints    etcd client URLs of every member, e.g. {@code https://etcd1.example.org:2379}
     * @param prefix       key prefix, so several fleets can share one cluster
     * @param timeout      bound of every etcd call; past it the request fails with 503 and nothing is acknowledged
     * @param tls          certificates for {@code https://} endpoints
     * @param user         etcd user for password authentication (unset: none, or the client certificate's name)
     * @param passwordFile file holding {@code user}'s password, readable by the service only
     */
    public record Etcd(@DefaultValue List<String> endpoints, @DefaultValue("/lockstep/") String prefix,
                       @DefaultValue("5s") Duration timeout, @DefaultValue Tls tls, String user,
                       Path passwordFile) {
    }

    /**
     * TLS towards etcd; used with {@code https://} endpoints.
     *
     * @param caFile    PEM certificate(s) of the CA that signed the members' certificates (unset: the JVM's)
     * @param certFile  PEM client certificate to present (etcd's {@code --client-cert-auth})
     * @param keyFile   its private key: PKCS#8 PEM, unencrypted ({@code openssl pkcs8 -topk8 -nocrypt})
     * @param authority the name every member's certificate is checked against, when not each endpoint's host
     */
    public record Tls(Path caFile, Path certFile, Path keyFile, String authority) {
    }

    /**
     * One repository.
     *
     * @param url               where the manifest fetches the branch to validate targets
     * @param branch            targets must be reachable from this branch
     * @param hosts             the hosts that must serve the repository (at least one); activation waits for all
     * @param watchInterval     poll the branch this often and target its tip (off when unset)
     * @param gitlabProject     GitLab {@code path_with_namespace} whose push events target this repository
     * @param gerritProject     Gerrit project whose {@code ref-updated} events target this repository
     * @param commitUrlTemplate link to a commit in a web UI; {@code {commit}} is replaced by the full id
     * @param prepareDeadline   a rollout not activated this long after its target was set is reported overdue (API,
     *                          page, {@code lockstep_rollout_overdue}); it still activates only with every host
     *                          ready. Off when unset
     * @param activateAfter     repositories this one is activated after: a rollout created now waits, before it
     *                          activates, until every expected host of each of them serves its target of now (if it
     *                          has a pending rollout) or else its active commit, or a descendant. Names must be other
     *                          configured repositories, with no cycle (checked at start-up). Empty by default
     */
    public record Repo(@NotBlank String url, @DefaultValue("main") @NotBlank String branch,
                       @NotEmpty List<String> hosts, Duration watchInterval, String gitlabProject,
                       String gerritProject, String commitUrlTemplate, Duration prepareDeadline,
                       @DefaultValue List<String> activateAfter) {

        @ConstructorBinding
        public Repo {
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
            activateAfter = activateAfter == null ? List.of() : List.copyOf(new LinkedHashSet<>(activateAfter));
        }

        /** A repository without a prepare deadline. */
        public Repo(String url, String branch, List<String> hosts, Duration watchInterval, String gitlabProject,
                    String gerritProject, String commitUrlTemplate) {
            this(url, branch, hosts, watchInterval, gitlabProject, gerritProject, commitUrlTemplate, null);
        }

        /** A repository activated after no other. */
        public Repo(String url, String branch, List<String> hosts, Duration watchInterval, String gitlabProject,
                    String gerritProject, String commitUrlTemplate, Duration prepareDeadline) {
            this(url, branch, hosts, watchInterval, gitlabProject, gerritProject, commitUrlTemplate, prepareDeadline,
                    List.of());
        }

        public Set<String> hostSet() {
            return Set.copyOf(hosts);
        }
    }

    /**
     * One API token. The token itself never sits in configuration, only its SHA-256.
     *
     * @param name   who holds it; recorded as the actor of everything done with it
     * @param sha256 hex SHA-256 of the token (e.g. {@code printf %s "$TOKEN" | sha256sum})
     * @param role   what it may do
     * @param repos  for {@code ci}: the repositories it may set targets for
     * @param host   for {@code agent}: the only host it may speak for
     */
    public record Token(@NotBlank String name, @NotNull @Pattern(regexp = "^[0-9a-fA-F]{64}$") String sha256,
                        @NotNull Role role, @DefaultValue List<String> repos, String host) {
    }

    /** What a token may do. */
    public enum Role {
        /** Set targets for its listed repositories. */
        ci,
        /** Everything a person may do: targets, rollback, pause, resume, cancel. */
        operator,
        /** Report and poll for its own host only. */
        agent
    }

    /**
     * @param gitlab GitLab push hook secret
     * @param gerrit Gerrit ref-updated hook secret
     */
    public record Hooks(@DefaultValue Hook gitlab, @DefaultValue Hook gerrit) {
    }

    /** @param tokenSha256 hex SHA-256 of the shared secret; the hook is off when unset */
    public record Hook(String tokenSha256) {
    }
}

package org.lockstep.agent.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.lockstep.protocol.HostName;
import org.lockstep.protocol.RepoName;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything an agent is configured with, bound from {@code lockstep.agent.*}. Immutable: a change needs a restart,
 * which is always safe because the agent reads its state from disk.
 *
 * @param host          the name this host reports under and polls for; defaults to the machine's short host name
 * @param manifestUrls  base URLs of the manifest instances, tried in order; on failure the agent moves to the next
 * @param tokenFile     file holding this host's bearer token; must not be readable by group or others
 * @param baseDir       where each repository's mirror, releases and links live
 * @param keepReleases  how many releases to keep per repository (the ones {@code current} and {@code next} point to
 *                      are always kept on top)
 * @param adoptExisting move a real directory found at {@code current} (a checkout from before Lockstep) aside once
 *                      instead of refusing to touch the repository
 * @param verifyTimeout how long a {@code verify-command} may run before it is killed and the release fails
 * @param fetchTimeout  network timeout of every git transport command
 * @param heartbeat     how often the agent reports even when nothing changed
 * @param pollTimeout   client read timeout of the long-poll; longer than the manifest's 30 s hold
 * @param backoffMax    the longest wait between attempts while no manifest answers
 * @param repos         the repositories this host may serve, by name
 * @param debug         test-only switches
 * @param lagGrace      how long a repository may lag its active commit (the normal switch window) before the
 *                      load balancer's check takes the host out of the pool; a repository with nothing to serve
 *                      and a lag found when the agent starts take it out at once
 * @param poolLease     how long the load balancer's check keeps a host in the pool after the agent last confirmed
 *                      it (a dead or hung agent); at least 10 s, the granularity of the lease (docs/operations.md)
 */
@Validated
@ConfigurationProperties("lockstep.agent")
public record AgentProperties(
        String host,
        @NotEmpty List<String> manifestUrls,
        @NotNull Path tokenFile,
        @DefaultValue("/srv/lockstep") Path baseDir,
        @DefaultValue("5") @Min(1) int keepReleases,
        @DefaultValue("false") boolean adoptExisting,
        @DefaultValue("60s") Duration verifyTimeout,
        @DefaultValue("120s") Duration fetchTimeout,
        @DefaultValue("10s") Duration heartbeat,
        @DefaultValue("45s") Duration pollTimeout,
        @DefaultValue("30s") Duration backoffMax,
        @DefaultValue Map<String, @Valid Repo> repos,
        @DefaultValue @Valid Debug debug,
        @DefaultValue("5s") Duration lagGrace,
        @DefaultValue("5m") Duration poolLease) {

    /** The lease is renewed per window of this length; a shorter lease could not be told from none. */
    public static final Duration LEASE_WINDOW = Duration.ofSeconds(10);

    public AgentProperties {
        host = host == null || host.isBlank() ? shortHostName() : host;
        if (!HostName.isValid(host)) {
            throw new IllegalArgumentException("lockstep.agent.host is not a valid host name: " + host);
        }
        repos = repos == null ? Map.of() : new TreeMap<>(repos);
        for (String name : repos.keySet()) {
            RepoName.of(name);
        }
        repos = Map.copyOf(repos);
        manifestUrls = manifestUrls == null ? List.of() : List.copyOf(manifestUrls);
        if (lagGrace == null || lagGrace.isNegative()) {
            throw new IllegalArgumentException("lockstep.agent.lag-grace must be zero or more: " + lagGrace);
        }
        if (poolLease == null || poolLease.compareTo(LEASE_WINDOW) < 0) {
            throw new IllegalArgumentException("lockstep.agent.pool-lease must be at least " + LEASE_WINDOW + ": "
                    + poolLease);
        }
    }

    /**
     * One repository this host serves.
     *
     * @param url           where the agent fetches from (git://, https://, ssh:// or file://)
     * @param verifyCommand optional shell command run inside a new release before it counts as prepared; a non-zero
     *                      exit or a timeout fails the release
     */
    public record Repo(@NotBlank String url, String verifyCommand) {
    }

    /**
     * Switches for tests and debugging; never set them in production.
     *
     * @param holdAt when the agent reaches this point ({@code fetch}, {@code materialize}, {@code before-link},
     *               {@code before-report}) it logs {@code event=hold-reached point=...} and blocks until killed;
     *               {@code <point>:<repo>} holds only that repository's thread, the others go on
     */
    public record Debug(@DefaultValue("") String holdAt) {
    }

    private static String shortHostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            int dot = name.indexOf('.');
            return (dot > 0 ? name.substring(0, dot) : name).toLowerCase(Locale.ROOT);
        }
        catch (UnknownHostException e) {
            throw new IllegalStateException("cannot determine the host name; set lockstep.agent.host", e);
        }
    }
}

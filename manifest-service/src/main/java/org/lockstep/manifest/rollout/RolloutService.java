package org.lockstep.manifest.rollout;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.change.Changes;
import org.lockstep.manifest.git.BranchMirror;
import org.lockstep.manifest.git.GitMirrors;
import org.lockstep.manifest.rollout.machine.Command;
import org.lockstep.manifest.rollout.machine.Command.ChangeHosts;
import org.lockstep.manifest.rollout.machine.HostEntry;
import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.manifest.rollout.machine.HostsRead;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.Requirement;
import org.lockstep.manifest.rollout.machine.Rollout;
import org.lockstep.manifest.rollout.machine.RolloutMachine;
import org.lockstep.manifest.rollout.machine.RolloutState;
import org.lockstep.manifest.rollout.machine.Transition;
import org.lockstep.manifest.store.ManifestStore;
import org.lockstep.protocol.AgentReport;
import org.lockstep.protocol.CommitId;
import org.lockstep.protocol.DesiredState;
import org.lockstep.protocol.DesiredState.RepoDesired;
import org.lockstep.protocol.HostName;
import org.lockstep.protocol.InvalidInputException;
import org.lockstep.protocol.LogText;
import org.lockstep.protocol.RepoName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Service;

/**
 * What the API does to rollouts: checks input against the configuration and the git branch, runs the rollout
 * machine on the stored state, and logs what changed. Every method either changes state durably or throws before
 * changing anything. Whoever needs to hear about changes subscribes to {@link #changes()}: the store announces each
 * one there once it is durable, including those made by other manifest instances.
 */
@Service
public class RolloutService implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(RolloutService.class);

    static final int MAX_TEXT = 2000;

    private final ManifestStore store;

    private final ManifestProperties properties;

    private final GitMirrors mirrors;

    private final HostSightings sightings;

    private final Clock clock;

    private final RolloutMachine machine = new RolloutMachine();

    private final ActivationOrder order;

    /** Repository -> its configured hosts, and host -> its repositories: looked up on every report and poll. */
    private final Map<String, Set<String>> hostsOf = new HashMap<>();

    private final Map<String, List<String>> reposOf = new HashMap<>();

    public RolloutService(ManifestStore store, ManifestProperties properties, GitMirrors mirrors,
                          HostSightings sightings, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.mirrors = mirrors;
        this.sightings = sightings;
        this.clock = clock;
        this.order = new ActivationOrder(properties, store, mirrors);
        properties.repos().forEach((name, config) -> hostsOf.put(name, config.hostSet()));
        Map<String, List<String>> repos = new HashMap<>();
        properties.repos().forEach((name, config) -> config.hostSet()
                .forEach(host -> repos.computeIfAbsent(host, h -> new ArrayList<>()).add(name)));
        // One list instance per distinct set of repositories: hosts that serve the same share their answers.
        Map<List<String>, List<String>> shared = new HashMap<>();
        repos.forEach((host, names) -> reposOf.put(host, shared.computeIfAbsent(List.copyOf(names), n -> n)));
    }

    /**
     * Brings every repository's expected hosts in line with the configuration read at start-up, once the store is
     * open (an etcd store may still be connecting; it runs this when it has opened, and until then is not healthy);
     * then records the {@code activate-after} requirements met while no instance was there to see it (a crash
     * between the last host of one repository switching and the waiting one being told).
     */
    @Override
    public void afterSingletonsInstantiated() {
        store.whenOpen(() -> {
            properties.repos().forEach((name, config) -> apply(name, new ChangeHosts(config.hostSet())));
            properties.repos().keySet().forEach(name -> meetRequirements(state(name)));
        });
    }

    /**
     * Sets a repository's target: the commit must be on the branch (fetched only when the manifest's mirror does
     * not already know it is, see {@link BranchMirror#onBranch}), and not behind the active commit unless
     * {@code rollback}.
     */
    public Rollout setTarget(String repo, String commit, String reason, boolean rollback, String actor) {
        return target(repo, commit, reason, rollback, actor, null).orElseThrow();
    }

    /**
     * {@link #setTarget} (never a rollback) for a trigger that decided on the repository's state and history as of
     * desired-state revision {@code seen} ({@link RepoState#revision()}, read before the history): written only if
     * that is still the revision, checked in the same store update. Any rollout created, cancelled, retried or
     * activated since moved the revision; then nothing is written and the answer is empty: decide again.
     */
    public Optional<Rollout> setTargetUnlessMoved(String repo, String commit, String reason, String actor,
                                                  long seen) {
        return target(repo, commit, reason, false, actor, seen);
    }

    private Optional<Rollout> target(String repo, String commit, String reason, boolean rollback, String actor,
                                     Long seen) {
        ManifestProperties.Repo config = config(repo);
        CommitId.of(commit);
        BranchMirror mirror = mirrors.mirror(repo);
        if (!mirror.onBranch(commit)) {
            throw new CommitNotOnBranch(repo, commit, config.branch());
        }
        String why = bounded("reason", reason);
        // Read before the update (another repository's state, and git): the mutation itself must stay pure.
        List<Requirement> requires = order.requiredNow(repo, clock.instant());
        Transition transition = store.update(repo, HostsRead.none(), (snapshot, next) -> seen != null
                && snapshot.state().revision() != seen
                ? Transition.unchanged(snapshot.state(), null)
                : machine.apply(snapshot, new Command.SetTarget(commit, mirror.ancestry(commit,
                        snapshot.state().active()), rollback, actor, why, requires), clock.instant(), next));
        logged(transition);
        if (ActivationOrder.waits(transition.state())) {
            // A requirement met between reading it and writing the rollout would otherwise wait for the next report.
            meetRequirements(transition.state());
            return Optional.ofNullable(transition.result()).map(r -> rollout(r.id()).orElse(r));
        }
        // Only the unchanged answer of a moved state has no rollout: a target is always the new, pending or
        // current rollout.
        return Optional.ofNullable(transition.result());
    }

    /**
     * The {@code activate-after} requirements {@code rollout} still waits for, with how far each is; empty unless it
     * is being prepared.
     */
    public List<RequirementProgress> waitsFor(Rollout rollout) {
        if (rollout.state() != RolloutState.PREPARING) {
            return List.of();
        }
        return rollout.unmetRequirements().stream().map(order::progress).toList();
    }

    /**
     * Records met every requirement of {@code state}'s pending rollout whose commit every expected host of its
     * repository now serves (or a descendant), each with one machine command: durable, audited, idempotent, and safe
     * when two instances find the same (the second changes nothing). Returns the revision an activation made, or 0.
     */
    private long meetRequirements(RepoState state) {
        long revision = 0;
        for (Command.MeetRequirement met : order.metNow(state)) {
            Transition transition = apply(state.name(), met);
            if (transition.changed()) {
                log.info("event=requirement-met repo={} rollout={} requires={} commit={} hosts={}", state.name(),
                        met.rollout(), met.repo(), met.commit(), met.hosts());
            }
            if (transition.desiredChanged()) {
                revision = Math.max(revision, transition.state().revision());
            }
        }
        return revision;
    }

    public RepoState pause(String repo, String actor, String reason) {
        return apply(repo, new Command.Pause(actor, bounded("reason", reason))).state();
    }

    public RepoState resume(String repo, String actor, String reason) {
        return apply(repo, new Command.Resume(actor, bounded("reason", reason))).state();
    }

    /**
     * Cancels the pending rollout; with {@code expected}, only if that is still the pending one (checked in the same
     * store update, so a target set after the operator looked is never cancelled instead).
     */
    public Rollout cancel(String repo, Long expected, String actor, String reason) {
        return apply(repo, new Command.Cancel(actor, bounded("reason", reason), expected)).result();
    }

    /**
     * Asks the hosts to prepare the pending target again after a permanent failure; with {@code expected}, only if
     * that rollout is still the pending one. Returns the pending rollout with its new retry generation.
     */
    public Rollout retry(String repo, Long expected, String actor, String reason) {
        return apply(repo, new Command.Retry(actor, bounded("reason", reason), expected)).result();
    }

    /**
     * Records what a host has on disk for each repository it serves. Returns the revision of the desired state after
     * it (the one its own writes made, if they changed it; else 0): the host's answer must be at least that new.
     */
    public long report(String host, AgentReport report) {
        HostName.of(host);
        Map<String, HostStatus> statuses = ReportEntries.statuses(host, report, hostsOf, clock.instant());
        sightings.seen(host, clock.instant());
        long revision = 0;
        if (inOrder(host, report, statuses)) {
            // Waiting rollouts to look at: a repository's own while it waits (cheap: only then), and those that
            // wait for a repository whose counts moved (read once the reports are applied).
            Map<String, RepoState> check = new LinkedHashMap<>();
            Set<String> moved = new LinkedHashSet<>();
            for (Map.Entry<String, HostStatus> entry : statuses.entrySet()) {
                Transition transition = apply(entry.getKey(), new Command.Report(host, entry.getValue()));
                if (transition.desiredChanged()) {
                    revision = Math.max(revision, transition.state().revision());
                }
                if (ActivationOrder.waits(transition.state())) {
                    check.put(entry.getKey(), transition.state());
                }
                if (transition.summaryChanged()) {
                    moved.addAll(order.dependents(entry.getKey()));
                }
            }
            moved.forEach(repo -> check.computeIfAbsent(repo, this::state));
            for (RepoState waiting : check.values()) {
                revision = Math.max(revision, meetRequirements(waiting));
            }
        }
        else {
            log.info("event=stale-report-dropped host={} session={} sequence={}", host,
                    LogText.quoted(report.session()), report.sequence());
        }
        return revision;
    }

    /**
     * Whether the report is the newest from {@code host}: by its session and sequence, never by its clock. The first
     * report after a restart is also checked against the ordering keys stored with the host's statuses, so that a
     * stale report is dropped whole even when only another of its repositories recorded the newer one.
     */
    private boolean inOrder(String host, AgentReport report, Map<String, HostStatus> statuses) {
        if (report.session() != null && !sightings.knowsOrderOf(host)) {
            for (Map.Entry<String, HostStatus> entry : statuses.entrySet()) {
                HostStatus stored = store.host(entry.getKey(), host).map(HostEntry::status).orElse(null);
                if (entry.getValue().isStaleNextTo(stored)) {
                    sightings.inOrder(host, stored.session(), stored.sequence());
                }
            }
        }
        return sightings.inOrder(host, report.session(), report.sequence());
    }

    /** The desired state of every repository {@code host} serves. */
    public DesiredState desired(String host) {
        return desired(reposOf(host));
    }

    /** The desired state of {@code repos} (configured repositories): what every host that serves them must do. */
    public DesiredState desired(List<String> repos) {
        // Read the revision before the states: a state newer than the revision is harmless, the reverse would let
        // an agent believe it has seen a change it has not.
        long revision = store.revision();
        List<RepoDesired> desired = new ArrayList<>();
        for (String name : repos) {
            ManifestProperties.Repo config = properties.repos().get(name);
            RepoState state = state(name);
            desired.add(new RepoDesired(name, config.url(), config.branch(), state.active(),
                    state.target().orElse(null), state.pending() == null ? null : state.pending().id(),
                    state.pending() == null ? 0 : state.pending().retries()));
        }
        return new DesiredState(store.storeId(), revision, desired);
    }

    /** The configured repositories {@code host} serves, by name (the same list for hosts that serve the same). */
    public List<String> reposOf(String host) {
        return reposOf.getOrDefault(host, List.of());
    }

    /**
     * A long-poll of {@code host}: seen now. Refused ({@link org.lockstep.manifest.store.StoreUnavailable}) when the
     * store cannot serve, since the poll itself is answered from memory ({@link ManifestStore#checkAvailable}).
     */
    public void polled(String host) {
        sightings.seen(host, clock.instant());
        store.checkAvailable();
    }

    /** A configured repository's summary (empty before anything was deployed); {@link UnknownRepository} otherwise. */
    public RepoState state(String repo) {
        config(repo);
        return store.repo(repo).orElseGet(() -> RepoState.empty(repo));
    }

    /** The hosts that must serve a configured repository, as the store has them. */
    public Set<String> expectedHosts(String repo) {
        config(repo);
        return store.expectedHosts(repo);
    }

    /** Every host entry of a configured repository (the hosts that reported), by host name. */
    public List<HostEntry> hosts(String repo) {
        config(repo);
        return store.hosts(repo);
    }

    /** One host's entry of a configured repository, if it reported. */
    public Optional<HostEntry> host(String repo, String host) {
        config(repo);
        return store.host(repo, host);
    }

    public List<Rollout> rollouts(String repo, int offset, int limit) {
        config(repo);
        return store.rollouts(repo, offset, limit);
    }

    public long rolloutCount(String repo) {
        config(repo);
        return store.rolloutCount(repo);
    }

    public Optional<Rollout> rollout(long id) {
        return store.rollout(id);
    }

    public long revision() {
        return store.revision();
    }

    /** The one change channel (see {@link org.lockstep.manifest.change.ChangeChannel}). */
    public Changes changes() {
        return store.changes();
    }

    ManifestProperties.Repo config(String repo) {
        if (!RepoName.isValid(repo) || !properties.repos().containsKey(repo)) {
            throw new UnknownRepository(RepoName.isValid(repo) ? repo : "(invalid name)");
        }
        return properties.repos().get(repo);
    }

    private Transition apply(String repo, Command command) {
        config(repo);
        Transition transition = store.update(repo, command.reads(),
                (snapshot, next) -> machine.apply(snapshot, command, clock.instant(), next));
        logged(transition);
        return transition;
    }

    private static void logged(Transition transition) {
        for (Rollout rollout : transition.rollouts()) {
            log.info("event=rollout repo={} rollout={} commit={} state={}", rollout.repo(), rollout.id(),
                    rollout.commit(), rollout.state());
        }
    }

    private static String bounded(String field, String text) {
        if (text != null && text.length() > MAX_TEXT) {
            throw new InvalidInputException(field, field + " is longer than " + MAX_TEXT + " characters");
        }
        return text;
    }
}

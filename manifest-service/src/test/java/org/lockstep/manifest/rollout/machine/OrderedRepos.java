package org.lockstep.manifest.rollout.machine;

import java.util.List;
import java.util.Optional;

import org.lockstep.manifest.rollout.machine.Command.MeetRequirement;
import org.lockstep.manifest.rollout.machine.Command.SetTarget;

/**
 * Two repositories, {@code secondary} activated after {@code primary}, each driven through the machine by its own
 * {@link RepoDriver}, with the service's part of {@code activate-after} done the way {@code RolloutService} does it
 * but with the machine's own rules: at a target of {@code secondary}, {@link Requirement#of} {@code primary}'s
 * summary, stamped met when already served everywhere; after every change of {@code primary} and every report of
 * {@code secondary}, a {@link MeetRequirement} for each requirement whose commit (or a later one on the line) every
 * host of {@code primary} serves ({@link Requirement#hostsServing}).
 */
final class OrderedRepos {

    final RepoDriver primary;

    final RepoDriver secondary;

    OrderedRepos(String... hosts) {
        this.primary = RepoDriver.named("primary", hosts);
        this.secondary = RepoDriver.named("secondary", hosts);
    }

    /** A target of {@code secondary}, with what it requires of {@code primary} now. */
    Transition targetSecondary(String commit) {
        return targetSecondary(commit, false);
    }

    Transition targetSecondary(String commit, boolean rollback) {
        Optional<Requirement> required = Requirement.of(primary.state).map(r -> serving(r) == primary.expected.size()
                ? new Requirement(r.repo(), r.commit(), secondary.nextNow()) : r);
        Transition target = secondary.apply(new SetTarget(commit, RepoDriver.ancestry(secondary.state.active(),
                commit), rollback, "ci", "deploy " + commit, required.stream().toList()));
        look();
        return target;
    }

    /** {@code host} of {@code primary} serves {@code commit}; then the service looks at {@code secondary}. */
    Transition primaryServes(String host, String commit) {
        Transition served = primary.serves(host, commit);
        look();
        return served;
    }

    /** {@code host} of {@code primary} has {@code commit} prepared; then the service looks. */
    Transition primaryPrepared(String host, String commit) {
        Transition prepared = primary.prepared(host, commit);
        look();
        return prepared;
    }

    /** {@code host} of {@code secondary} has {@code commit} prepared; its report makes the service look too. */
    Transition secondaryPrepared(String host, String commit) {
        Transition prepared = secondary.prepared(host, commit);
        look();
        return prepared;
    }

    /** Every host of {@code primary} prepares {@code commit}, then serves it, one after the other. */
    void primaryRolledOut(String commit) {
        primary.expected.stream().sorted().forEach(host -> primaryPrepared(host, commit));
        primaryServedEverywhere(commit);
    }

    /** Every host of {@code primary} serves {@code commit}, one after the other. */
    void primaryServedEverywhere(String commit) {
        primary.expected.stream().sorted().forEach(host -> primaryServes(host, commit));
    }

    /** Hosts of {@code primary} serving the requirement's commit or a later one on its line. */
    int serving(Requirement requirement) {
        return requirement.hostsServing(primary.state.tally(),
                served -> RepoDriver.position(served) >= RepoDriver.position(requirement.commit()));
    }

    /** The service's look: one command per requirement of the pending rollout found met; their transitions. */
    List<Transition> look() {
        Rollout pending = secondary.state.pending();
        if (pending == null) {
            return List.of();
        }
        return pending.unmetRequirements().stream().filter(r -> serving(r) == primary.expected.size())
                .map(r -> secondary.apply(new MeetRequirement(pending.id(), r.repo(), r.commit(), serving(r))))
                .toList();
    }
}

package org.lockstep.manifest.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lockstep.manifest.change.Changes.Subscription;
import org.lockstep.manifest.rollout.machine.Command;
import org.lockstep.manifest.rollout.machine.Command.Ancestry;
import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.manifest.rollout.machine.RepoSnapshot;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.rollout.machine.RolloutMachine;
import org.lockstep.manifest.rollout.machine.Transition;

/** The one change channel: what every subscriber hears, once, in order, whoever else fails. */
class ChangeChannelTests {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private final ChangeChannel channel = new ChangeChannel();

    private final List<Change> heard = new ArrayList<>();

    @Test
    void everyWriteIsHeardWithWhatItWrote() {
        channel.subscribe(heard::add);
        Transition target = target();

        channel.publish(new Change.Written(1, target));
        channel.publish(new Change.Written(1, report(target.state())));

        assertThat(heard).hasSize(2);
        Change.Written first = (Change.Written) heard.get(0);
        assertThat(first.desiredChanged()).isTrue();
        assertThat(first.repo()).isEqualTo("primary");
        assertThat(first.rollouts()).hasSize(1);
        assertThat(heard.get(1).desiredChanged()).as("a report changes state, not what agents must do").isFalse();
        assertThat(heard.get(1).revision()).isEqualTo(1);
    }

    @Test
    void aRevisionHeardFromElsewhereIsAnnouncedOnceAndNeverBackwards() {
        channel.subscribe(heard::add);
        channel.knownUpTo(3);

        channel.publish(new Change.Heard(3));
        channel.publish(new Change.Heard(4));
        channel.publish(new Change.Heard(4));
        channel.publish(new Change.Written(5, target()));
        channel.publish(new Change.Heard(5));
        channel.publish(new Change.Heard(2));
        channel.publish(new Change.Heard(6));

        assertThat(heard).extracting(Change::revision).containsExactly(4L, 5L, 6L);
        assertThat(heard).allMatch(Change::newRevision);
        assertThat(heard.get(1)).as("the echo of this instance's own write adds nothing")
                .isInstanceOf(Change.Written.class);
        assertThat(channel.newestRevision()).isEqualTo(6);
    }

    @Test
    void aWriteWhoseEchoCameFirstIsHeardButAnnouncesNoNewRevision() {
        channel.subscribe(heard::add);

        channel.publish(new Change.Heard(1));
        channel.publish(new Change.Written(1, target()));
        channel.publish(new Change.Written(1, report(target().state())));

        assertThat(heard).extracting(Change::revision).containsExactly(1L, 1L, 1L);
        assertThat(heard).extracting(Change::newRevision).as("revision 1 announced once").containsExactly(true,
                false, false);
        assertThat(((Change.Written) heard.get(1)).rollouts()).as("the metrics still see what was written")
                .hasSize(1);
    }

    @Test
    void aFailingSubscriberDoesNotKeepTheChangeFromTheOthers() {
        channel.subscribe(change -> {
            throw new IllegalStateException("broken subscriber");
        });
        channel.subscribe(heard::add);

        channel.publish(new Change.Heard(1));

        assertThat(heard).extracting(Change::revision).containsExactly(1L);
    }

    @Test
    void aClosedSubscriptionHearsNothingMore() {
        Subscription subscription = channel.subscribe(heard::add);
        channel.publish(new Change.Heard(1));

        subscription.close();
        subscription.close();
        channel.publish(new Change.Heard(2));

        assertThat(heard).extracting(Change::revision).containsExactly(1L);
    }

    private static Transition target() {
        return new RolloutMachine().apply(RepoSnapshot.of(RepoState.empty("primary"), Set.of("h1"), List.of()),
                new Command.SetTarget("a".repeat(40), Ancestry.NO_ACTIVE, false, "ci", null), NOW, 1);
    }

    private static Transition report(RepoState state) {
        return new RolloutMachine().apply(RepoSnapshot.of(state, Set.of("h1"), List.of()), new Command.Report("h1",
                new HostStatus(null, null, "a".repeat(40), null, null, null, NOW)), NOW, 2);
    }
}

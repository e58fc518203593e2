package org.lockstep.manifest.page;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.lockstep.manifest.api.RepoStatus;
import org.lockstep.manifest.api.RepoStatus.HostView;
import org.lockstep.manifest.api.RolloutView;
import org.lockstep.manifest.api.StatusViews;
import org.lockstep.manifest.page.RepoPanel.Badge;
import org.lockstep.manifest.page.RepoPanel.CommitText;
import org.lockstep.manifest.page.RepoPanel.HostRow;
import org.lockstep.manifest.page.RepoPanel.Progress;
import org.lockstep.manifest.page.RepoPanel.RolloutRow;
import org.lockstep.manifest.rollout.HostState;
import org.lockstep.manifest.rollout.machine.RolloutEvent;
import org.lockstep.manifest.rollout.machine.RolloutState;
import org.springframework.stereotype.Component;

/**
 * Turns the API's read models ({@link StatusViews}) into what an operator needs at a glance: one state per
 * repository and per host in words, who a rollout waits for and since when, and the recent history.
 */
@Component
class RepoPanels {

    static final int HISTORY = 10;

    /** Up to this many expected hosts the panel lists every one; above, only those that need a look. */
    static final int ALL_HOSTS = 50;

    private final StatusViews views;

    private final CommitDescriptions commits;

    private final PageProperties properties;

    private final Clock clock;

    RepoPanels(StatusViews views, CommitDescriptions commits, PageProperties properties, Clock clock) {
        this.views = views;
        this.commits = commits;
        this.properties = properties;
        this.clock = clock;
    }

    List<RepoPanel> all() {
        Instant now = clock.instant();
        return views.all().stream().map(status -> panel(status, now)).toList();
    }

    private RepoPanel panel(RepoStatus status, Instant now) {
        String repo = status.name();
        List<RolloutView> history = views.rollouts(repo, 0, HISTORY).items();
        RolloutView running = status.rollout() != null && !status.rollout().state().isTerminal()
                ? status.rollout() : null;
        Progress progress = running == null ? null : progress(running, now);
        boolean everyHost = status.hostCount() <= ALL_HOSTS;
        List<HostView> shown = everyHost ? views.hosts(repo, Optional.empty(), 0, ALL_HOSTS).items()
                : status.attention();
        Headline headline = headline(status, shown, running, progress, now);
        return new RepoPanel(repo, status.branch(), headline.badge(), headline.summary(), status.paused(),
                commits.describe(repo, status.active(), now), commits.describe(repo, status.target(), now), progress,
                hostCounts(status), everyHost, status.hostCount(), status.attentionCount(),
                shown.stream().map(h -> host(repo, h, running, now)).toList(),
                history.stream().map(r -> row(r, now)).toList(), rollbackCandidates(repo, status, history, now),
                running != null && running.state() == RolloutState.PREPARING ? running.id() : null);
    }

    /** The hosts page's rows: one page of the expected hosts, optionally in one state. */
    List<HostRow> rows(String repo, Optional<HostState> state, int page, int size) {
        Instant now = clock.instant();
        RepoStatus status = views.repo(repo);
        RolloutView running = status.rollout() != null && !status.rollout().state().isTerminal()
                ? status.rollout() : null;
        return views.hosts(repo, state, page, size).items().stream().map(h -> host(repo, h, running, now)).toList();
    }

    /** "2000 hosts: 1990 serving, 6 preparing, 4 lagging", the states that have hosts, in the API's order. */
    static String hostCounts(RepoStatus status) {
        List<String> parts = new ArrayList<>();
        status.hostsByState().forEach((state, count) -> {
            if (count > 0) {
                parts.add(count + " " + state);
            }
        });
        return status.hostCount() + (status.hostCount() == 1 ? " host" : " hosts")
                + (parts.isEmpty() ? "" : ": " + String.join(", ", parts));
    }

    private record Headline(Badge badge, String summary) {
    }

    private Headline headline(RepoStatus status, List<HostView> shown, RolloutView running, Progress progress,
                              Instant now) {
        int expected = status.hostCount();
        if (status.active() == null && running == null) {
            return new Headline(Badge.idle("Nothing deployed yet"),
                    "No target has been set for this repository.");
        }
        if (running != null && running.state() == RolloutState.PREPARING) {
            String target = CommitDescriptions.shortId(running.commit());
            String meanwhile = status.active() == null ? ""
                    : " Meanwhile every host keeps serving " + CommitDescriptions.shortId(status.active()) + ".";
            List<String> failing = shown.stream()
                    .filter(h -> h.error() != null && !running.commit().equals(h.next())
                            && !running.commit().equals(h.current()))
                    .map(HostView::host).toList();
            if (status.paused()) {
                String held = "activation is held until an operator resumes.";
                return new Headline(Badge.paused("Paused"), progress.waitingFor().isEmpty()
                        ? "All " + expected + " hosts have " + target + " ready; " + held
                        : "Preparing " + target + " (" + progress.text() + "); " + held);
            }
            if (!progress.waitsFor().isEmpty() && progress.waitingFor().isEmpty()) {
                return new Headline(Badge.busy("Waiting for " + String.join(", ", progress.waitsFor())),
                        "All " + expected + " hosts have " + target + " ready; it becomes active once every host of "
                                + "the repositories it is activated after serves the commit it waits for."
                                + meanwhile);
            }
            if (!failing.isEmpty()) {
                return new Headline(Badge.bad("Stuck: error on " + names(failing, failing.size())),
                        "Rollout #" + running.id() + " of " + target + " cannot activate: " + progress.text() + "."
                                + meanwhile);
            }
            if (running.overdue() || isStuck(running.createdAt(), now)) {
                return new Headline(Badge.warn((running.overdue() ? "Overdue" : "Stuck") + ": waiting for "
                        + progress.waitingText()),
                        "Rollout #" + running.id() + " of " + target + " has waited " + progress.waited() + ": "
                                + progress.text() + "." + meanwhile);
            }
            return new Headline(Badge.busy("Preparing " + target + ": " + progress.text()),
                    "Hosts fetch and prepare " + target + "; it becomes active when all " + expected
                            + " are ready." + meanwhile);
        }
        if (running != null && running.state() == RolloutState.ACTIVATING) {
            String target = CommitDescriptions.shortId(running.commit());
            if (!progress.waitingFor().isEmpty()
                    && isStuck(running.enteredAt(RolloutState.ACTIVATING).orElse(running.createdAt()), now)) {
                return new Headline(Badge.warn("Stuck switching: waiting for " + progress.waitingText()),
                        target + " is active; " + progress.text() + " after " + progress.waited() + ".");
            }
            return new Headline(Badge.busy("Switching to " + target + ": " + progress.text()),
                    target + " is active; hosts are switching to it now.");
        }
        int lagging = expected - status.serving();
        if (lagging > 0) {
            List<String> names = shown.stream().filter(HostView::lagging).map(HostView::host).toList();
            return new Headline(Badge.warn(lagging + " of " + expected + " hosts lagging"),
                    "Not serving the active commit: " + names(names, lagging) + ".");
        }
        String active = CommitDescriptions.shortId(status.active());
        if (status.paused()) {
            return new Headline(Badge.paused("Paused"), "All " + expected + " hosts serve " + active
                    + ". New targets will be prepared but not activated until an operator resumes.");
        }
        return new Headline(Badge.ok("Up to date"), "All " + expected + " hosts serve " + active + ".");
    }

    private boolean isStuck(Instant since, Instant now) {
        return since != null && Duration.between(since, now).compareTo(properties.stuckAfter()) > 0;
    }

    private Progress progress(RolloutView r, Instant now) {
        boolean preparing = r.state() == RolloutState.PREPARING;
        int done = preparing ? r.hostsPrepared() : r.hostsSwitched();
        String text = done + " of " + r.hostsExpected() + (preparing ? " hosts ready" : " hosts switched");
        Instant since = preparing ? r.createdAt() : r.enteredAt(RolloutState.ACTIVATING).orElse(r.createdAt());
        boolean waits = r.waitingCount() > 0;
        return new Progress(r.id(), r.state().name(), text, done, r.hostsExpected(), r.waitingFor(),
                r.waitingCount() - r.waitingFor().size(), waits ? Times.at(since, now) : null,
                waits ? Times.duration(Duration.between(since, now).isNegative() ? Duration.ZERO
                        : Duration.between(since, now)) : null, Times.at(r.deadline(), now), r.overdue(),
                r.waitsFor().stream().map(w -> w.repo() + " " + CommitDescriptions.shortId(w.commit()) + " on "
                        + w.hostsServing() + " of " + w.hostsExpected() + " hosts").toList());
    }

    private HostRow host(String repo, HostView h, RolloutView running, Instant now) {
        return new HostRow(h.host(), hostBadge(h, running, now), commits.describe(repo, h.current(), now),
                commits.describe(repo, h.next(), now), CommitDescriptions.shortId(h.preparing()),
                Times.at(h.lastSeen(), now), h.lagging(), h.error(), CommitDescriptions.shortId(h.errorCommit()),
                h.error() != null && h.permanent());
    }

    /** {@code names} (some of {@code count} hosts), with how many more there are. */
    static String names(List<String> names, int count) {
        return String.join(", ", names) + (count > names.size() ? (names.isEmpty() ? "" : " and ")
                + (count - names.size()) + " more" : "");
    }

    private Badge hostBadge(HostView h, RolloutView running, Instant now) {
        boolean waitedFor = running != null && (running.state() == RolloutState.ACTIVATING
                ? !running.commit().equals(h.current())
                : !running.commit().equals(h.next()) && !running.commit().equals(h.current()));
        if (h.error() != null) {
            return Badge.bad("Error");
        }
        if (h.current() == null && h.next() == null && h.lastReportAt() == null) {
            return h.lastSeen() == null ? Badge.idle("Never reported") : Badge.busy("Starting");
        }
        if (h.lastSeen() == null || Duration.between(h.lastSeen(), now).compareTo(properties.silentAfter()) > 0) {
            return Badge.warn("Silent");
        }
        if (waitedFor && running.state() == RolloutState.ACTIVATING) {
            return Badge.busy("Switching");
        }
        if (waitedFor) {
            return Badge.busy(running.commit().equals(h.preparing()) ? "Preparing" : "Waiting");
        }
        if (h.lagging()) {
            return Badge.warn("Lagging");
        }
        if (running != null && running.state() == RolloutState.PREPARING) {
            return Badge.ok("Ready");
        }
        return Badge.ok("Up to date");
    }

    private RolloutRow row(RolloutView r, Instant now) {
        return new RolloutRow(r.id(), commits.describe(r.repo(), r.commit(), now), r.rollback(), r.createdBy(),
                r.reason(), Times.at(r.createdAt(), now),
                r.prepareSeconds() == null ? null : Times.duration(seconds(r.prepareSeconds())),
                r.enteredAt(RolloutState.ACTIVATING).map(t -> Times.at(t, now)).orElse(null),
                r.enteredAt(RolloutState.COMPLETE).map(t -> Times.at(t, now)).orElse(null),
                r.switchSkewSeconds() == null ? null : Times.millis(seconds(r.switchSkewSeconds())),
                skewMeasured(r), outcome(r), note(r));
    }

    /** The skew comes from the hosts: each reports when its current link changed, by its own clock. */
    private static String skewMeasured(RolloutView r) {
        if (r.firstSwitched() == null && r.lastSwitched() == null) {
            return null;
        }
        if (Objects.equals(r.firstSwitched(), r.lastSwitched())) {
            return "by " + r.lastSwitched() + "'s clock, the only host switched so far";
        }
        return "by the hosts' clocks: " + (r.firstSwitched() == null ? "hosts already serving it" : r.firstSwitched())
                + " first, " + r.lastSwitched() + " last";
    }

    private static Badge outcome(RolloutView r) {
        return switch (r.state()) {
            case PREPARING -> Badge.busy("Preparing");
            case ACTIVATING -> Badge.busy("Switching");
            case COMPLETE -> Badge.ok("Complete");
            case SUPERSEDED -> Badge.idle("Superseded");
            case CANCELLED -> Badge.warn("Cancelled");
        };
    }

    /** The last thing a person (not the system) did to the rollout after creating it. */
    private static String note(RolloutView r) {
        for (int i = r.events().size() - 1; i > 0; i--) {
            RolloutEvent e = r.events().get(i);
            if (e.state() == RolloutState.SUPERSEDED && e.reason() != null) {
                return e.reason();
            }
            if (!RolloutEvent.SYSTEM.equals(e.actor())) {
                return e.action().name().toLowerCase(Locale.ROOT) + " by " + e.actor()
                        + (e.reason() == null ? "" : ": " + e.reason());
            }
        }
        return null;
    }

    /** Commits that were active once (a rollout reached them, or one started from them), newest first. */
    private List<CommitText> rollbackCandidates(String repo, RepoStatus status, List<RolloutView> history,
                                                Instant now) {
        Set<String> seen = new LinkedHashSet<>();
        for (RolloutView r : history) {
            if (r.enteredAt(RolloutState.ACTIVATING).isPresent()) {
                seen.add(r.commit());
            }
            if (r.previous() != null) {
                seen.add(r.previous());
            }
        }
        seen.remove(status.active());
        List<CommitText> candidates = new ArrayList<>();
        seen.forEach(c -> candidates.add(commits.describe(repo, c, now)));
        return candidates;
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}

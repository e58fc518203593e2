package org.lockstep.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.lockstep.cli.Views.Blocked;
import org.lockstep.cli.Views.Event;
import org.lockstep.cli.Views.Host;
import org.lockstep.cli.Views.Repo;
import org.lockstep.cli.Views.Rollout;
import org.lockstep.cli.Views.State;

/**
 * The words of each way a wait ends. A CI log is often all an on-call engineer has, so each message names what to
 * look at: every failed host with its error, every host still waited for with since when, who superseded or
 * cancelled the rollout and why.
 */
final class Verdicts {

    private static final String NL = System.lineSeparator();

    Verdict complete(Rollout r) {
        String timing = r.prepareSeconds() == null ? ""
                : " (prepared in " + seconds(r.prepareSeconds()) + (r.switchSkewSeconds() == null ? ""
                : ", switch skew " + seconds(r.switchSkewSeconds())) + ")";
        return new Verdict(ExitCode.COMPLETE, "complete", title(r) + " complete: " + Texts.plural(r.hostsExpected(),
                "host") + " serve " + Texts.commit(r.commit()) + timing, fields(r));
    }

    Verdict cancelled(Rollout r) {
        Optional<Event> event = r.entered(State.CANCELLED);
        String actor = event.map(Event::actor).orElse("an operator");
        String reason = event.map(Event::reason).orElse(null);
        Map<String, Object> fields = fields(r);
        fields.put("by", actor);
        fields.put("reason", reason);
        return new Verdict(ExitCode.SUPERSEDED, "cancelled", title(r) + " was cancelled by " + actor
                + (reason == null ? " (no reason given)" : ": " + reason), fields);
    }

    Verdict superseded(Rollout r, Repo repo) {
        Optional<Event> event = r.entered(State.SUPERSEDED);
        String actor = event.map(Event::actor).orElse("system");
        String reason = event.map(Event::reason).orElse(null);
        Optional<Rollout> newer = newer(r, repo);
        StringBuilder text = new StringBuilder(title(r) + " was superseded by " + actor
                + (reason == null ? "" : ": " + reason));
        newer.ifPresent(n -> text.append(NL).append("  rollout ").append(n.id()).append(": ")
                .append(Texts.commit(n.commit())).append(", set by ").append(n.createdBy())
                .append(n.reason() == null ? "" : ": " + n.reason()).append(", ").append(n.state()));
        Map<String, Object> fields = fields(r);
        fields.put("by", actor);
        fields.put("reason", reason);
        newer.ifPresent(n -> fields.put("newer", Output.fields("rollout", n.id(), "commit", n.commit(),
                "createdBy", String.valueOf(n.createdBy()), "state", n.state().name())));
        return new Verdict(ExitCode.SUPERSEDED, "superseded", text.toString(), fields);
    }

    Verdict failed(Rollout r, List<Blocked> permanent, Instant now) {
        StringBuilder text = new StringBuilder(title(r) + " failed: " + Texts.commit(r.commit())
                + " cannot become active, " + Texts.plural(permanent.size(), "host") + " failed with a permanent"
                + " error:");
        List<Map<String, Object>> hosts = new ArrayList<>();
        for (Blocked b : permanent) {
            text.append(NL).append("  ").append(b.host()).append(" (since ").append(Texts.since(b.since(), now))
                    .append("):").append(NL).append(Texts.indented(b.error(), "    "));
            hosts.add(host(b));
        }
        r.blockedBy().stream().filter(b -> !b.isPermanent()).forEach(b -> {
            text.append(NL).append("  also ").append(b.host()).append(", retrying a transient error: ")
                    .append(Texts.firstLine(b.error(), 200));
            hosts.add(host(b));
        });
        text.append(NL).append("Nothing was switched: no host serves ").append(Texts.commit(r.commit()))
                .append(". Fix the cause, then `lockstep retry ").append(r.repo())
                .append(" --reason ...`, or supersede or cancel the rollout.");
        Map<String, Object> fields = fields(r);
        fields.put("hosts", hosts);
        return new Verdict(ExitCode.FAILED, "failed", text.toString(), fields);
    }

    Verdict timedOut(Rollout r, Repo repo, Duration timeout, Instant now) {
        boolean activating = r.state() == State.ACTIVATING;
        Instant since = activating ? r.entered(State.ACTIVATING).map(Event::at).orElse(r.createdAt()) : r.createdAt();
        StringBuilder text = new StringBuilder("timed out after " + DurationConverter.format(timeout) + ": "
                + title(r) + " is still " + r.state());
        List<Map<String, Object>> hosts = new ArrayList<>();
        if (r.waitingTotal() == 0 && r.state() == State.PREPARING && repo != null && repo.isPaused()) {
            text.append(": every host has it prepared, but activation is paused").append(paused(r));
        }
        else if (r.waitingTotal() == 0 && r.state() == State.PREPARING && !r.waitsFor().isEmpty()) {
            text.append(": every host has it prepared, but it").append(r.waitsText().substring(1))
                    .append(" (activate-after)");
        }
        else if (r.waitingTotal() > 0) {
            text.append(", waiting since ").append(Texts.since(since, now)).append(" for ")
                    .append(Texts.plural(r.waitingTotal(), "host")).append(" to ")
                    .append(activating ? "switch:" : "prepare " + Texts.commit(r.commit()) + ":");
            for (String name : r.waitingFor()) {
                Optional<Host> host = repo == null ? Optional.empty() : repo.host(name);
                text.append(NL).append("  ").append(name).append(": ").append(describe(r, host, now));
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("host", name);
                entry.put("since", since.toString());
                entry.put("lastSeen", host.map(Host::lastSeen).map(Instant::toString).orElse(null));
                entry.put("error", blocker(r, name).map(Blocked::error).orElse(null));
                hosts.add(entry);
            }
            if (r.waitingTotal() > r.waitingFor().size()) {
                text.append(NL).append("  and ").append(Texts.plural(r.waitingTotal() - r.waitingFor().size(),
                        "more host")).append(" (lockstep status ").append(r.repo()).append(")");
            }
            if (repo != null && repo.isPaused()) {
                text.append(NL).append("Activation is also paused").append(paused(r));
            }
        }
        if (r.isOverdue()) {
            text.append(NL).append("The rollout is overdue: its prepare deadline was ")
                    .append(Texts.time(r.deadline()));
        }
        Map<String, Object> fields = fields(r);
        fields.put("state", r.state().name());
        fields.put("waitingFor", hosts);
        fields.put("waitingCount", r.waitingTotal());
        fields.put("waitsFor", r.waitsFor().stream().map(w -> {
            Map<String, Object> wait = new LinkedHashMap<>();
            wait.put("repo", w.repo());
            wait.put("commit", w.commit());
            wait.put("hostsServing", w.hostsServing());
            wait.put("hostsExpected", w.hostsExpected());
            return wait;
        }).toList());
        return new Verdict(ExitCode.TIMED_OUT, "timed-out", text.toString(), fields);
    }

    private static String describe(Rollout r, Optional<Host> host, Instant now) {
        List<String> parts = new ArrayList<>();
        parts.add(host.map(h -> h.lastSeen() == null ? "not seen since the manifest started"
                : "last seen " + Texts.ago(h.lastSeen(), now)).orElse("never reported"));
        host.map(Host::current).ifPresent(c -> parts.add("serves " + Texts.commit(c)));
        host.map(Host::preparing).ifPresent(c -> parts.add("preparing " + Texts.commit(c)));
        blocker(r, host.map(Host::host).orElse(null)).ifPresentOrElse(b -> parts.add((b.isPermanent() ? "permanent"
                : "transient") + " error since " + Texts.time(b.since()) + ": " + Texts.firstLine(b.error(), 200)),
                () -> host.map(Host::error).ifPresent(e -> parts.add("last error: " + Texts.firstLine(e, 200))));
        return String.join(", ", parts);
    }

    private static Optional<Blocked> blocker(Rollout r, String host) {
        return r.blockedBy().stream().filter(b -> b.host().equals(host)).findFirst();
    }

    private static String paused(Rollout r) {
        return r.events().stream().filter(e -> "PAUSED".equals(e.action())).reduce((a, b) -> b)
                .map(e -> " (by " + e.actor() + (e.reason() == null ? "" : ": " + e.reason()) + ")").orElse("");
    }

    /** The rollout created right after {@code r}: the one that superseded it. */
    private static Optional<Rollout> newer(Rollout r, Repo repo) {
        if (repo == null) {
            return Optional.empty();
        }
        List<Rollout> candidates = new ArrayList<>(repo.recentRollouts());
        if (repo.rollout() != null) {
            candidates.add(repo.rollout());
        }
        return candidates.stream().filter(c -> c.id() > r.id()).min(Comparator.comparingLong(Rollout::id));
    }

    private static Map<String, Object> host(Blocked b) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("host", b.host());
        entry.put("error", b.error());
        entry.put("permanent", b.isPermanent());
        entry.put("since", b.since() == null ? null : b.since().toString());
        return entry;
    }

    private static Map<String, Object> fields(Rollout r) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("rollout", r.id());
        fields.put("repo", r.repo());
        fields.put("commit", r.commit());
        return fields;
    }

    private static String title(Rollout r) {
        return "rollout " + r.id() + " of " + r.repo();
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.1fs", value);
    }
}

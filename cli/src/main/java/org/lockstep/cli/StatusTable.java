package org.lockstep.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.lockstep.cli.Views.Blocked;
import org.lockstep.cli.Views.Host;
import org.lockstep.cli.Views.Repo;
import org.lockstep.cli.Views.Rollout;
import org.lockstep.cli.Views.State;

/**
 * One repository as lines for a terminal: a header (active commit, target, rollout, pause, hosts by state) and one
 * row per host with what it serves, what it has prepared, when the manifest last heard from it, whether it lags and
 * its last error: every host when the CLI read them all ({@link HostMarks}), else the hosts that need a look.
 */
final class StatusTable {

    private static final int ERROR_WIDTH = 100;

    private static final String[] HEADINGS = {"HOST", "SERVES", "PREPARED", "LAST SEEN", "LAGGING", "LAST ERROR"};

    private final Instant now;

    StatusTable(Instant now) {
        this.now = now;
    }

    List<String> lines(Repo repo) {
        List<String> lines = new ArrayList<>();
        lines.add(repo.name() + " (branch " + repo.branch() + ")" + (repo.isPaused() ? "  ACTIVATION PAUSED" : ""));
        lines.add("  active:  " + (repo.active() == null ? "nothing yet" : Texts.commit(repo.active())));
        lines.add("  target:  " + (repo.target() == null ? "nothing pending" : Texts.commit(repo.target())));
        Rollout rollout = repo.rollout();
        if (rollout != null) {
            lines.add("  rollout: " + rollout(rollout));
            for (Blocked b : rollout.blockedBy()) {
                lines.add("           blocked by " + b.host() + " (" + (b.isPermanent() ? "permanent" : "transient")
                        + " error since " + Texts.time(b.since()) + "): " + Texts.firstLine(b.error(), ERROR_WIDTH));
            }
        }
        lines.add("  hosts:   " + hostCounts(repo));
        boolean every = !repo.hosts().isEmpty() || repo.hostTotal() == 0;
        List<Host> shown = every ? repo.hosts() : repo.attention();
        if (!every) {
            int needALook = repo.attentionCount() == null ? shown.size() : repo.attentionCount();
            lines.add("  " + (needALook == 0 ? "no host needs a look"
                    : Texts.plural(needALook, "host") + " need a look" + (needALook > shown.size()
                    ? ", the first " + shown.size() + " listed" : "")) + " (of " + repo.hostTotal() + ")");
        }
        if (shown.isEmpty()) {
            return lines;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADINGS);
        for (Host host : shown) {
            rows.add(new String[] {host.host(), Texts.commit(host.current()), prepared(host),
                Texts.ago(host.lastSeen(), now), host.isLagging() ? "yes" : "no", error(host)});
        }
        lines.addAll(columns(rows));
        return lines;
    }

    /** "4 (3 serving, 1 lagging)": every host counted once, in the first of its states. */
    private static String hostCounts(Repo repo) {
        List<String> parts = new ArrayList<>();
        repo.hostsByState().forEach((state, count) -> {
            if (count != null && count > 0) {
                parts.add(count + " " + state);
            }
        });
        return repo.hostTotal() + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
    }

    private String rollout(Rollout r) {
        String progress = switch (r.state()) {
            case PREPARING -> ", " + r.hostsPrepared() + "/" + r.hostsExpected() + " prepared" + waiting(r)
                    + r.waitsText();
            case ACTIVATING -> ", " + r.hostsSwitched() + "/" + r.hostsExpected() + " switched" + waiting(r);
            default -> "";
        };
        String overdue = r.isOverdue() ? ", OVERDUE (deadline " + Texts.time(r.deadline()) + ")" : "";
        return "#" + r.id() + " " + r.state() + " " + Texts.commit(r.commit()) + progress + overdue + ", set by "
                + r.createdBy() + " " + Texts.ago(r.createdAt(), now) + (r.reason() == null ? "" : ": " + r.reason())
                + (r.state() == State.COMPLETE && r.switchSkewSeconds() != null
                ? String.format(Locale.ROOT, " (switch skew %.1fs)", r.switchSkewSeconds()) : "");
    }

    /** ", waiting for web-3, web-4" or ", waiting for host0001, ... and 1980 more". */
    private static String waiting(Rollout r) {
        if (r.waitingFor().isEmpty()) {
            return "";
        }
        int more = r.waitingTotal() - r.waitingFor().size();
        return ", waiting for " + String.join(", ", r.waitingFor()) + (more > 0 ? " and " + more + " more" : "");
    }

    private static String prepared(Host host) {
        String next = host.next() == null ? "-" : host.next().equals(host.current()) ? "(same)"
                : Texts.commit(host.next());
        return host.preparing() == null ? next : next + " (preparing " + Texts.commit(host.preparing()) + ")";
    }

    private static String error(Host host) {
        if (host.error() == null) {
            return "-";
        }
        return (host.isPermanent() ? "[permanent] " : "")
                + (host.errorCommit() == null ? "" : "at " + Texts.commit(host.errorCommit()) + ": ")
                + Texts.firstLine(host.error(), ERROR_WIDTH);
    }

    /** Pads every column but the last to its widest cell. */
    private static List<String> columns(List<String[]> rows) {
        int[] widths = new int[HEADINGS.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}

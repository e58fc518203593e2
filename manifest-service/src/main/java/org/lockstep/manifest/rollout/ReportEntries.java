package org.lockstep.manifest.rollout;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.lockstep.manifest.rollout.machine.HostStatus;
import org.lockstep.protocol.AgentReport;
import org.lockstep.protocol.AgentReport.RepoReport;
import org.lockstep.protocol.CommitId;
import org.lockstep.protocol.InvalidInputException;

/**
 * An agent's report read into the statuses it records, one per repository the host is expected to serve (entries
 * for others are ignored). The whole report is checked before anything is applied, so one bad entry refuses it
 * and changes nothing.
 */
final class ReportEntries {

    private static final Pattern SESSION = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");

    private ReportEntries() {
    }

    /**
     * The statuses of {@code report}, by repository; {@code hostsOf} says which hosts each repository expects, and
     * {@code now} stands in for a report without its own clock.
     */
    static Map<String, HostStatus> statuses(String host, AgentReport report, Map<String, Set<String>> hostsOf,
                                            Instant now) {
        checkOrderingKey(report);
        Map<String, HostStatus> statuses = new LinkedHashMap<>();
        for (RepoReport repo : report.repos()) {
            if (repo.repo() == null) {
                throw new InvalidInputException("repos[].repo", "every entry of repos names its repository");
            }
            if (hostsOf.getOrDefault(repo.repo(), Set.of()).contains(host)) {
                statuses.put(repo.repo(), status(repo, report, now));
            }
        }
        return statuses;
    }

    private static HostStatus status(RepoReport repo, AgentReport report, Instant now) {
        return new HostStatus(commitOrNull("current", repo.current()), commitOrNull("next", repo.next()),
                commitOrNull("preparing", repo.preparing()), truncated(repo.error()),
                commitOrNull("errorCommit", repo.errorCommit()), repo.switchedAt(),
                report.sentAt() != null ? report.sentAt() : now, repo.error() != null && repo.isPermanent(),
                repo.error() == null ? null : repo.errorSince(), repo.error() == null ? 0 : repo.retry(),
                report.session(), report.sequence());
    }

    /** The session is stored with the host's status: a short token (the agent sends a UUID), never free text. */
    private static void checkOrderingKey(AgentReport report) {
        if (report.session() != null && !SESSION.matcher(report.session()).matches()) {
            throw new InvalidInputException("session", "session must be 1-64 letters, digits, '.', '_', ':' or '-'");
        }
        if (report.session() != null && report.sequence() < 0) {
            throw new InvalidInputException("sequence", "sequence must be >= 0");
        }
    }

    private static String commitOrNull(String field, String commit) {
        if (commit != null && !CommitId.isValid(commit)) {
            throw new InvalidInputException(field, field + " must be a full lower-case commit id");
        }
        return commit;
    }

    /** Agents may send long verify output; keep its start rather than refuse the whole report. */
    private static String truncated(String text) {
        int max = RolloutService.MAX_TEXT;
        return text == null || text.length() <= max ? text : text.substring(0, max) + "...";
    }
}

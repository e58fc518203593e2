package org.lockstep.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.lockstep.bench.Timing.Timed;

/** The Markdown table the benchmark prints, the ratios against issue 16's goals, and notes. */
final class Report {

    static final String ARCHIVE = "`git archive \\| tar -x`";

    private final List<String> rows = new ArrayList<>();

    private final List<String> cpuRows = new ArrayList<>();

    private final List<String> goals = new ArrayList<>();

    private final List<String> notes = new ArrayList<>();

    void row(Repo repo, String what, Timed agent, String cliName, Timed cli) {
        double ratio = agent.medianMs() / cli.medianMs();
        rows.add(String.format("| %s | %d | %s | %.1f (%.1f) | %s | %.1f (%.1f) | %.2f (%.2f) |", repo.shape(),
                repo.files(), what, agent.medianMs(), agent.minMs(), cliName, cli.medianMs(), cli.minMs(), ratio,
                agent.minMs() / cli.minMs()));
        // CPU time is counted in clock ticks of 10 ms: below a few ticks a ratio says nothing.
        String cpuRatio = cli.cpuMedianMs() < 30 ? "-" : String.format("%.2f", agent.cpuMedianMs() / cli.cpuMedianMs());
        cpuRows.add(String.format("| %s | %d | %s | %.0f | %s | %.0f | %s |", repo.shape(), repo.files(), what,
                agent.cpuMedianMs(), cliName, cli.cpuMedianMs(), cpuRatio));
        if (repo.shape().equals("schemas")) {
            goal(repo, what, cliName, ratio);
        }
    }

    void disk(Repo repo, String what, long agentKib, String cliName, long cliKib) {
        rows.add(String.format("| %s | %d | %s | %d | %s | %d | %.2f |", repo.shape(), repo.files(), what, agentKib,
                cliName, cliKib, (double) agentKib / cliKib));
    }

    void note(String note) {
        notes.add(note);
    }

    /** Issue 16's goals, each a ratio of medians against the git CLI in the same run. */
    private void goal(Repo repo, String what, String cliName, double ratio) {
        double limit;
        if (what.startsWith("fetch")) {
            limit = 1.0;
        }
        else if (what.equals("full release") && cliName.equals(ARCHIVE)) {
            limit = 1.0;
        }
        else if (what.startsWith("release after") && cliName.equals(ARCHIVE + " (full)")) {
            limit = 0.5;
        }
        else {
            return;
        }
        goals.add(String.format("| %d | %s vs %s | %.2f | <= %.1f | %s |", repo.files(), what, cliName, ratio, limit,
                ratio <= limit ? "met" : "NOT met"));
    }

    void print(PrintStream out) {
        out.println("| shape | files | measurement | agent median (min) | git CLI | git CLI median (min)"
                + " | agent / CLI median (min) |");
        out.println("|---|---:|---|---:|---|---:|---:|");
        rows.forEach(out::println);
        out.println();
        out.println("CPU time (ms, median): this JVM's threads for the agent; the git and tar processes for the CLI.");
        out.println();
        out.println("| shape | files | measurement | agent CPU | git CLI | git CLI CPU | agent / CLI |");
        out.println("|---|---:|---|---:|---|---:|---:|");
        cpuRows.forEach(out::println);
        if (!goals.isEmpty()) {
            out.println();
            out.println("Issue 16's goals (schemas shape, ratio of medians):");
            out.println();
            out.println("| files | measurement | ratio | goal | |");
            out.println("|---:|---|---:|---|---|");
            goals.forEach(out::println);
        }
        out.println();
        notes.forEach(out::println);
    }
}

package org.lockstep.cli;

import java.util.Map;

/**
 * How waiting for a rollout ended.
 *
 * @param exitCode what the command exits with
 * @param outcome  the name of the outcome in {@code --json} ({@code complete}, {@code failed}, {@code timed-out},
 *                 {@code superseded}, {@code cancelled})
 * @param message  the outcome for people: every failed host with its error, every waited-for host with since when
 * @param fields   the same for machines
 */
record Verdict(ExitCode exitCode, String outcome, String message, Map<String, Object> fields) {
}

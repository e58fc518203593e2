/**
 * The {@code lockstep} command (docs/ci.md): sets targets, runs operator actions and waits for rollouts, over the
 * manifest's public HTTP API only, with the JDK's HttpClient, Jackson and picocli; no Spring context, so it starts
 * in well under a second and fits a CI job.
 * <ul>
 * <li>{@link org.lockstep.cli.Lockstep}: the entry point, global options, exit-code mapping.</li>
 * <li>{@code *Command}: one class per command; {@code ManifestClient}: HTTP with failover over the URLs.</li>
 * <li>{@code RolloutWatch} and {@code Verdicts}: the plain-Java rules of waiting (what changed, when and how a wait
 * ends), driven by {@code Waiter}'s poll loop.</li>
 * </ul>
 * Depends on {@code protocol} only (wire records, name validation); nothing depends on it.
 */
package org.lockstep.cli;

/**
 * Targets from merges without a CI job: GitLab push and Gerrit ref-updated webhooks (each with its shared secret,
 * checked in one place, before the body is read: {@link org.lockstep.manifest.hooks.WebhookSecretFilter}) and the
 * branch watcher that polls a branch when no webhook can be set up. Everything goes through
 * {@code rollout.RolloutService} like any target. Depends on {@code rollout}, {@code git}, {@code problem} and
 * {@code auth}'s token matching.
 */
package org.lockstep.manifest.hooks;

/**
 * The operator page ({@code GET /}): what each host serves, whether a rollout is stuck and on whom, what changed and
 * when, and the operator actions (roll back, pause, resume, cancel) behind a session sign-in.
 * <p>
 * Server-rendered with Thymeleaf from the same read models as the API ({@code api.StatusViews}); a small script
 * ({@code static/js/page.js}) re-fetches {@code GET /fragments/repos} every few seconds and swaps the live parts, so
 * the page stays readable and usable with JavaScript off. Actions go through {@code rollout.RolloutService} like the
 * API's. Depends on {@code api}, {@code rollout}, {@code git}, {@code auth} and the exceptions of {@code store};
 * nothing depends on it.
 */
package org.lockstep.manifest.page;

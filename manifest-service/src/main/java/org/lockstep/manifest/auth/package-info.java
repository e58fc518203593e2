/**
 * Who is calling: bearer tokens (only their SHA-256 is configured, matched in constant time), roles (ci, operator,
 * agent for one host), the operator page's session sign-in, the guard that refuses page forms before they are read
 * ({@link org.lockstep.manifest.auth.PageFormGuard}), and the security filter chains. Refusals are written as problem
 * details with {@code problem.Problems}. Depends on the configuration, {@code problem} and {@code web}'s limits only,
 * so the API, the page and the webhooks stand above it, never the other way.
 */
package org.lockstep.manifest.auth;

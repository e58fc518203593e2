/**
 * Who is calling: bearer tokens (only their SHA-256 is configured, matched in constant time), roles (ci, operator,
 * agent for one host), the operator page's session sign-in, and the security filter chains. Refusals are written
 * as problem details with {@code problem.Problems}. Depends on the configuration and {@code problem} only, so the
 * API, the page and the webhooks stand above it, never the other way.
 */
package org.lockstep.manifest.auth;

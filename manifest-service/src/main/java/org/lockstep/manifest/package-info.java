/**
 * The manifest service: records each repository's target and active commit, runs rollouts, answers agents'
 * long-polls, serves the REST API and the operator page. See {@code docs/architecture.md} for the package map.
 * <p>
 * This package holds the application, its configuration properties ({@link org.lockstep.manifest.ManifestProperties},
 * read by every feature) and the wiring above the features (the clock, the choice of store). It depends only on
 * {@code protocol} and on the store implementations it wires; no feature package depends on the wiring.
 */
package org.lockstep.manifest;

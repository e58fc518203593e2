/**
 * The manifest service seen from outside: {@link org.lockstep.testing.manifest.ManifestApi} (the one HTTP client of
 * its API, problem details as {@link org.lockstep.testing.manifest.Problem}), its configuration
 * ({@link org.lockstep.testing.manifest.ManifestConfig}, {@link org.lockstep.testing.manifest.Tokens}) and the
 * packaged jar as a process ({@link org.lockstep.testing.manifest.ManifestProcess}). Depends on the root package only.
 */
package org.lockstep.testing.manifest;

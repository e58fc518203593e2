/**
 * Test support shared by the manifest's integration tests: real git repositories built with JGit
 * ({@link org.lockstep.manifest.testing.UpstreamRepository}), isolated from the machine's git configuration, the
 * configured fleet of repositories, hosts and tokens ({@link org.lockstep.manifest.testing.Fleet}), the base class
 * that shares one Spring context ({@link org.lockstep.manifest.testing.SharedManifest}), and a plain HTTP client
 * ({@link org.lockstep.manifest.testing.Api}). Nothing here is a mock.
 */
package org.lockstep.manifest.testing;

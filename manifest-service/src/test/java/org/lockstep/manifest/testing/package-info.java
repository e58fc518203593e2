/**
 * What the manifest's HTTP integration tests share on top of the toolkit ({@code test-support}): the configured
 * repositories, hosts and tokens ({@link org.lockstep.manifest.testing.ManifestSetup}, upstream repositories built
 * with the toolkit's {@code GitRepo}) and the base class that shares one Spring context
 * ({@link org.lockstep.manifest.testing.SharedManifest}, calling the API through the toolkit's {@code ManifestApi}).
 * Nothing here is a mock.
 */
package org.lockstep.manifest.testing;

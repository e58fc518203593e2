/**
 * Releases on disk: building {@code releases/<commit>} through a temp directory, one file-system sync and a
 * rename ({@code ReleaseBuilder}, {@code FileSystemSync}), the agent's completion markers that alone make a
 * directory count as a release ({@code Markers}, {@code Served}), the atomic {@code current}/{@code next}
 * symlinks, crash leftovers, pruning and adoption of a pre-Lockstep checkout. Depends on {@code git} for the
 * export; knows nothing about the manifest.
 */
package org.lockstep.agent.release;

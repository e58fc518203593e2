/**
 * Releases on disk: building {@code releases/<commit>} through a temp directory and a rename, the atomic
 * {@code current}/{@code next} symlinks, crash leftovers, pruning and adoption of a pre-Lockstep checkout.
 * Depends on {@code git} for the export; knows nothing about the manifest.
 */
package org.lockstep.agent.release;

/**
 * The default store ({@code lockstep.manifest.store=embedded}): one H2 MVStore file under {@code data-dir}, every
 * write committed and synced before it returns, changes announced in the writing thread. Depends on {@code store},
 * {@code change} and {@code rollout.machine} only.
 */
package org.lockstep.manifest.store.embedded;

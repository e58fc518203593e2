/**
 * The wire types the manifest service and the agent exchange, the validation of the names and ids in them, and
 * {@link org.lockstep.protocol.LogText}, how both quote untrusted text in their log lines. Plain Java without Spring
 * or Jackson annotations, so both sides (and tests) can depend on this module alone; it depends on nothing of
 * Lockstep's. This is the only code the two services share.
 */
package org.lockstep.protocol;

/**
 * The wire types the manifest service and the agent exchange, and the validation of the names and ids in them.
 * Plain Java records without Spring or Jackson annotations, so both sides (and tests) can depend on this module alone.
 */
package org.lockstep.protocol;

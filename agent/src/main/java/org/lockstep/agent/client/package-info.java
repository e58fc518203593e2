/**
 * The HTTP edge towards the manifest: long-poll, report, failover over {@code manifest-urls} and the backoff the
 * loop waits with. Depends only on the protocol records.
 */
package org.lockstep.agent.client;

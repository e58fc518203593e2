/**
 * Rollout metrics for {@code /actuator/prometheus}: gauges that read the state when scraped, and counters and a
 * timer fed by the service's change channel. Depends on {@code rollout}, {@code change} and the machine's types;
 * nothing depends on it.
 */
package org.lockstep.manifest.metrics;

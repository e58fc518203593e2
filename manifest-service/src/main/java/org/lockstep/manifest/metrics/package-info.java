/**
 * Metrics for {@code /actuator/prometheus}: rollout gauges that read the state when scraped, counters and histograms
 * (prepare time, switch skew) fed by the service's change channel
 * ({@link org.lockstep.manifest.metrics.RolloutMetrics}), and the fleet by host state, computed from the store at
 * scrape time with a series per host only for hosts that need a look
 * ({@link org.lockstep.manifest.metrics.FleetMetrics}). Depends on {@code rollout}, {@code change}, the machine's
 * types and {@code page}'s {@code silent-after} (so the page and the metrics agree on a silent host); nothing depends
 * on it.
 */
package org.lockstep.manifest.metrics;

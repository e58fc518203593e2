package org.lockstep.manifest;

import org.lockstep.manifest.store.ManifestStore;
import org.lockstep.manifest.store.StoreHealth;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code store} component of {@code /actuator/health} (and of the readiness group): DOWN, with the store's
 * {@code cause}, {@code detail} and {@code hint}, while the store cannot serve, e.g. an etcd that refuses this
 * instance's password or certificate, or has no quorum. A load balancer then stops sending work here, and the
 * operator reads why in the same answer.
 */
@Component
class StoreHealthIndicator implements HealthIndicator {

    private final ManifestStore store;

    StoreHealthIndicator(ManifestStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        StoreHealth health = store.health();
        return (health.up() ? Health.up() : Health.down()).withDetails(health.details()).build();
    }
}

package org.lockstep.manifest;

import org.lockstep.manifest.store.embedded.EmbeddedManifestStore;
import org.lockstep.manifest.store.etcd.EtcdManifestStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Picks the store family from {@code lockstep.manifest.store}; embedded by default. It sits here, with the wiring
 * above the features, so that {@code store} does not depend on its own implementations.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "lockstep.manifest.store", havingValue = "embedded", matchIfMissing = true)
    EmbeddedManifestStore embeddedManifestStore(ManifestProperties properties) {
        return new EmbeddedManifestStore(properties.dataDir().resolve("store"));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "lockstep.manifest.store", havingValue = "etcd")
    EtcdManifestStore etcdManifestStore(ManifestProperties properties) {
        ManifestProperties.Etcd etcd = properties.etcd();
        return new EtcdManifestStore(etcd.endpoints(), etcd.prefix(), etcd.timeout());
    }
}

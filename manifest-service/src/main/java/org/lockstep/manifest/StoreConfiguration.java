package org.lockstep.manifest;

import java.net.URI;

import org.lockstep.manifest.store.embedded.EmbeddedManifestStore;
import org.lockstep.manifest.store.etcd.EtcdManifestStore;
import org.lockstep.manifest.store.etcd.EtcdSettings;
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
        ManifestProperties.Tls tls = etcd.tls();
        return new EtcdManifestStore(new EtcdSettings(etcd.endpoints().stream().map(URI::create).toList(),
                etcd.prefix(), etcd.timeout(), tls.caFile(), tls.certFile(), tls.keyFile(), tls.authority(),
                etcd.user(), etcd.passwordFile()));
    }
}

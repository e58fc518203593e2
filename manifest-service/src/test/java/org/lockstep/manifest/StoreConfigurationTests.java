package org.lockstep.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lockstep.manifest.store.ManifestStore;
import org.lockstep.manifest.store.StoreHealth;
import org.lockstep.testing.Processes;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code lockstep.manifest.etcd.*} keys as an operator writes them reach the etcd store: a configuration that can
 * never work stops the service at start naming the key; one that only etcd or the disk can judge starts, and the
 * store's health names the file or refusal.
 */
class StoreConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class, StoreConfiguration.class, StoreHealthIndicator.class)
            .withPropertyValues("lockstep.manifest.store=etcd", "lockstep.manifest.etcd.timeout=1s",
                    "lockstep.manifest.etcd.endpoints[0]=https://127.0.0.1:" + Processes.freePort());

    @Test
    void tlsAndPasswordKeysReachTheStoreWhichNamesTheFileItCannotRead() {
        runner.withPropertyValues("lockstep.manifest.etcd.tls.ca-file=/nonexistent/ca.pem",
                "lockstep.manifest.etcd.tls.cert-file=/nonexistent/manifest.pem",
                "lockstep.manifest.etcd.tls.key-file=/nonexistent/manifest.key",
                "lockstep.manifest.etcd.user=lockstep", "lockstep.manifest.etcd.password-file=/nonexistent/password")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    StoreHealth health = context.getBean(ManifestStore.class).health();
                    assertThat(health.up()).isFalse();
                    assertThat(health.details()).containsEntry("cause", "etcd-client-config")
                            .containsEntry("as", "user lockstep (password), certificate /nonexistent/manifest.pem");
                    assertThat(health.details().get("detail")).asString()
                            .contains("lockstep.manifest.etcd.tls.ca-file /nonexistent/ca.pem");
                });
    }

    @Test
    void certificateWithoutItsKeyStopsTheServiceNamingBothKeys() {
        runner.withPropertyValues("lockstep.manifest.etcd.tls.cert-file=/etc/lockstep/etcd/manifest.pem")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("lockstep.manifest.etcd.tls.cert-file and "
                                + "lockstep.manifest.etcd.tls.key-file go together"));
    }

    @Test
    void userWithoutPasswordFileStopsTheService() {
        runner.withPropertyValues("lockstep.manifest.etcd.user=lockstep")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("lockstep.manifest.etcd.user and lockstep.manifest.etcd.password-file"));
    }

    @Test
    void tlsFilesWithPlainEndpointsStopTheService() {
        runner.withPropertyValues("lockstep.manifest.etcd.endpoints[0]=http://127.0.0.1:2379",
                "lockstep.manifest.etcd.tls.ca-file=/etc/lockstep/etcd/ca.pem")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("the endpoints are http://; use https://"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ManifestProperties.class)
    static class Properties {
    }
}

package org.lockstep.manifest;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans without a better home. */
@Configuration(proxyBeanMethods = false)
class ManifestConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}

package org.lockstep.manifest.page;

import java.time.Clock;

import org.lockstep.manifest.rollout.HostClassifier;
import org.lockstep.manifest.rollout.HostSightings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The page's notion of a silent host ({@code lockstep.manifest.page.silent-after}) is the manifest's: the API's
 * {@code unseen} hosts and the page's "Silent" ones are the same. The classifier lives in {@code rollout}, so the
 * API uses it without depending on the page.
 */
@Configuration(proxyBeanMethods = false)
class PageConfiguration {

    @Bean
    HostClassifier hostClassifier(HostSightings sightings, PageProperties page, Clock clock) {
        return new HostClassifier(sightings, page.silentAfter(), clock);
    }
}

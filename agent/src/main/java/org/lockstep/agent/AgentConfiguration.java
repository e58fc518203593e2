package org.lockstep.agent;

import java.time.Clock;
import java.time.ZoneId;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.lockstep.agent.config.AgentProperties;
import org.lockstep.agent.config.TokenFile;
import org.lockstep.agent.client.ManifestClient;
import org.lockstep.agent.health.AgentHealthIndicator;
import org.lockstep.agent.health.PoolCheck;
import org.lockstep.agent.health.PoolCheckLoop;
import org.lockstep.agent.health.PoolLease;
import org.lockstep.agent.sync.AgentStateFile;
import org.lockstep.agent.sync.HoldPoints;
import org.lockstep.agent.sync.Reporter;
import org.lockstep.agent.sync.SyncLoop;
import org.lockstep.agent.sync.SyncMetrics;
import org.lockstep.agent.sync.Syncer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the agent. The token is read here, so a missing or too-open token file stops the agent at start. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AgentProperties.class)
class AgentConfiguration {

    @Bean
    ManifestClient manifestClient(AgentProperties properties) {
        return new ManifestClient(properties.manifestUrls(), properties.host(),
                TokenFile.read(properties.tokenFile()), properties.pollTimeout());
    }

    @Bean
    AgentStateFile agentStateFile(AgentProperties properties) {
        return new AgentStateFile(properties.baseDir());
    }

    @Bean
    Syncer syncer(AgentProperties properties, MeterRegistry registry) {
        return new Syncer(properties, new HoldPoints(properties.debug().holdAt()), new SyncMetrics(registry));
    }

    @Bean
    Reporter reporter(ManifestClient client, Syncer syncer, AgentStateFile state, AgentProperties properties,
                      MeterRegistry registry) {
        Reporter reporter = new Reporter(client, syncer, state, properties.host());
        // Epoch 0 until a report got through: "no manifest reached" from the start, for the alert.
        Gauge.builder("lockstep.agent.last.report.timestamp", reporter, r -> r.lastSent().toEpochMilli() / 1000.0)
                .baseUnit("seconds").description("when a report last reached a manifest (epoch seconds)")
                .register(registry);
        return reporter;
    }

    @Bean
    SyncLoop syncLoop(ManifestClient client, Syncer syncer, Reporter reporter, AgentStateFile state,
                      AgentProperties properties) {
        return new SyncLoop(client, syncer, reporter, state, properties.host(), properties.heartbeat(),
                properties.backoffMax());
    }

    @Bean
    AgentHealthIndicator lockstepHealthIndicator(AgentProperties properties, AgentStateFile state) {
        return new AgentHealthIndicator(properties, state);
    }

    /** The load balancer's check: a lease in {@code <base-dir>/.lb-check/} that the web server tests. */
    @Bean
    PoolCheckLoop poolCheckLoop(AgentProperties properties, AgentStateFile state, MeterRegistry registry) {
        return new PoolCheckLoop(new PoolCheck(properties, state, Clock.systemUTC()),
                new PoolLease(properties.baseDir(), properties.poolLease(), ZoneId.systemDefault()), properties.host(),
                registry, properties.repos().keySet());
    }
}

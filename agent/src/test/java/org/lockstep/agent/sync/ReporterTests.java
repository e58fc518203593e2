package org.lockstep.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.agent.client.ManifestClient;
import org.lockstep.agent.config.AgentProperties;
import org.lockstep.agent.support.ScriptedManifest;
import org.lockstep.protocol.AgentReport;
import org.lockstep.testing.manifest.Tokens;

/** The order of a host's reports comes from the agent's session and sequence, never from its clock. */
class ReporterTests {

    @TempDir
    Path tmp;

    ScriptedManifest first;

    ScriptedManifest second;

    Syncer syncer;

    @BeforeEach
    void start() throws Exception {
        first = new ScriptedManifest(Tokens.agent("host-a"), "store-1", 1, Duration.ofSeconds(1)).start();
        second = new ScriptedManifest(Tokens.agent("host-a"), "store-1", 1, Duration.ofSeconds(1)).start();
        AgentProperties properties = new AgentProperties("host-a", List.of(first.url(), second.url()),
                tmp.resolve("token"), tmp.resolve("base"), 5, false, Duration.ofSeconds(2), Duration.ofSeconds(20),
                Duration.ofSeconds(10), Duration.ofSeconds(45), Duration.ofSeconds(30),
                Map.of("primary", new AgentProperties.Repo("file:///nonexistent", null)),
                new AgentProperties.Debug(""),
                Duration.ofSeconds(5), Duration.ofMinutes(5));
        syncer = new Syncer(properties, new HoldPoints(""), new SyncMetrics(new SimpleMeterRegistry()));
    }

    @AfterEach
    void stop() {
        syncer.close();
        first.close();
        second.close();
    }

    @Test
    void everyReportOfASessionHasTheNextSequenceAndANewProcessANewSession() {
        Reporter reporter = reporter();
        for (int i = 0; i < 3; i++) {
            assertThat(reporter.report()).isPresent();
        }
        assertThat(first.reports()).extracting(AgentReport::sequence).containsExactly(1L, 2L, 3L);
        assertThat(first.reports()).extracting(AgentReport::session).containsOnly(reporter.session());
        assertThat(first.rawReports().get(0)).contains("\"session\":\"" + reporter.session() + "\"")
                .contains("\"sequence\":1");

        Reporter restarted = reporter();
        restarted.report();
        AgentReport afterRestart = first.reports().get(3);
        assertThat(afterRestart.session()).isNotEqualTo(reporter.session());
        assertThat(afterRestart.sequence()).isEqualTo(1);
    }

    @Test
    void aReportSentToTheNextUrlKeepsItsSequenceAndTheNextReportGetsAHigherOne() {
        Reporter reporter = reporter();
        first.refuseReports(503);
        assertThat(reporter.report()).as("the second URL took it").isPresent();
        assertThat(first.rawReports()).hasSize(1).allMatch(body -> body.contains("\"sequence\":1"));
        assertThat(second.reports()).extracting(AgentReport::sequence).containsExactly(1L);

        second.refuseReports(503);
        assertThat(reporter.report()).as("no manifest took it").isEmpty();
        second.refuseReports(0);
        reporter.report();
        assertThat(second.reports()).extracting(AgentReport::sequence).as("a report made after a failed one is newer")
                .containsExactly(1L, 3L);
    }

    private Reporter reporter() {
        ManifestClient client = new ManifestClient(List.of(first.url(), second.url()), "host-a",
                Tokens.agent("host-a"), Duration.ofSeconds(5));
        return new Reporter(client, syncer, new AgentStateFile(tmp.resolve("base")), "host-a");
    }
}

package org.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.lockstep.testing.agent.AgentProcess;
import org.lockstep.testing.fleet.Fleet;
import org.lockstep.testing.fleet.Nginx;
import org.lockstep.testing.manifest.Tokens;

/**
 * A host served through exactly the nginx configuration the puppet module renders: today's URL space
 * {@code /repositories/<name>/} answers from {@code current}, then from {@code next}, and the load balancer's health
 * check {@code /repositories/} keeps answering.
 */
class PuppetNginxSystemTests extends FleetTest {

    private static final String SCHEMA = "/repositories/primary/jsonschema/test-event/";

    @Test
    void urlsUnderRepositoriesAnswerFromCurrentThenFromNext() {
        fleet = new Fleet(List.of("schema1003"));
        String first = fleet.schemas().addVersion("test-event", "1.0.0");
        fleet.start().serveWithPuppetConfig();
        fleet.deploy(first);
        Nginx web = fleet.web().get("schema1003");

        assertThat(web.get("/repositories/").status()).as("load balancer health check").isEqualTo(200);
        assertThat(web.get(SCHEMA + "latest").body()).contains("$id: /test-event/1.0.0");
        assertThat(web.get(SCHEMA + "1.0.0").status()).isEqualTo(200);
        assertThat(web.get(SCHEMA + "1.1.0").status()).as("not deployed anywhere yet").isEqualTo(404);

        fleet.api().action(Tokens.OPERATOR, Fleet.REPO, "pause", "look at next").expect(200);
        String second = fleet.schemas().addVersion("test-event", "1.1.0");
        fleet.api().setTarget(Tokens.CI, Fleet.REPO, second, "prepare only").expect(202);
        AgentProcess agent = fleet.agent("schema1003");
        Awaitility.await("prepared").atMost(Duration.ofSeconds(60))
                .until(() -> second.equals(agent.next().orElse(null)));

        assertThat(web.get(SCHEMA + "1.1.0").body()).as("read-through: a new file is served from next")
                .contains("$id: /test-event/1.1.0");
        assertThat(web.get(SCHEMA + "latest").body()).as("what is advertised still comes from current")
                .contains("$id: /test-event/1.0.0");
        assertThat(web.get(SCHEMA).body()).as("listings come from current only").doesNotContain("1.1.0");

        fleet.api().action(Tokens.OPERATOR, Fleet.REPO, "resume", "switch").expect(200);
        fleet.awaitEveryHostServes(second, Duration.ofSeconds(60));
        assertThat(web.get(SCHEMA + "latest").body()).contains("$id: /test-event/1.1.0");
        assertThat(web.get(SCHEMA).body()).contains("1.1.0");
        assertThat(web.get("/repositories/primary/mirror.git/HEAD").status()).as("only releases are served")
                .isEqualTo(404);
        fleet.invariants().holdOnObservedHistory();
    }
}

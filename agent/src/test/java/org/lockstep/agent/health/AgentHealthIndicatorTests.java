package org.lockstep.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.agent.config.AgentProperties;
import org.lockstep.agent.release.Links;
import org.lockstep.agent.release.Markers;
import org.lockstep.agent.release.RepoLayout;
import org.lockstep.agent.sync.AgentState;
import org.lockstep.agent.sync.AgentStateFile;
import org.springframework.boot.health.contributor.Status;

class AgentHealthIndicatorTests {

    static final String A = "0123456789abcdef0123456789abcdef01234567";

    static final String B = "89abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path base;

    @Test
    void downUntilAnyDesiredStateIsKnown() {
        assertThat(indicator().health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void upOnlyWhileCurrentIsTheLastKnownActiveCommit() throws Exception {
        AgentStateFile state = new AgentStateFile(base);
        RepoLayout layout = RepoLayout.of(base, "primary");
        Files.createDirectories(layout.release(A));
        Files.createDirectories(layout.release(B));
        // As an agent from before markers left them: marked once, as the first start of this version does.
        Markers.ensureMarked(layout);
        Links.point(layout.current(), A);
        state.write(new AgentState("s", 3, Map.of("primary", A)));
        assertThat(indicator().health().getStatus()).isEqualTo(Status.UP);
        state.write(new AgentState("s", 4, Map.of("primary", B)));
        assertThat(indicator().health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(indicator().health().getDetails().toString()).contains("current=" + A).contains("active=" + B);
    }

    @Test
    void aFencedCheckoutIsDownEvenBeforeTheFirstActivation() throws Exception {
        new AgentStateFile(base).write(new AgentState("s", 1, Map.of("primary", "")));
        Files.createDirectories(RepoLayout.of(base, "primary").current());
        assertThat(indicator().health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void aRepositoryTheManifestDoesNotExpectHereDoesNotCount() {
        new AgentStateFile(base).write(new AgentState("s", 1, Map.of()));
        assertThat(indicator().health().getStatus()).isEqualTo(Status.UP);
    }

    private AgentHealthIndicator indicator() {
        AgentProperties properties = new AgentProperties("host-a", List.of("http://127.0.0.1:1"),
                base.resolve("token"), base, 5, false, Duration.ofSeconds(2), Duration.ofSeconds(20),
                Duration.ofSeconds(10), Duration.ofSeconds(45), Duration.ofSeconds(30),
                Map.of("primary", new AgentProperties.Repo("file:///nowhere", null)), new AgentProperties.Debug(""),
                Duration.ofSeconds(5), Duration.ofMinutes(5));
        return new AgentHealthIndicator(properties, new AgentStateFile(base));
    }
}

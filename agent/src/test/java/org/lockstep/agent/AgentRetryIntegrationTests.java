package org.lockstep.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.agent.support.Samples;
import org.lockstep.agent.support.ScriptedManifest;
import org.lockstep.protocol.AgentReport.RepoReport;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.agent.AgentConfig;
import org.lockstep.testing.manifest.Tokens;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole agent in this JVM retrying as docs/agent.md says: a transient failure on time (the repository's worker
 * wakes for it; a poll made meanwhile asks the manifest to answer by then), a permanent one only when the operator's
 * retry generation grows.
 */
class AgentRetryIntegrationTests {

    private static final String HOST = "host-a";

    /** Longer than any wait below: only a retry the agent schedules itself can be on time. */
    private static final Duration HOLD = Duration.ofSeconds(40);

    @TempDir
    Path tmp;

    private ScriptedManifest manifest;

    private ConfigurableApplicationContext agent;

    @AfterEach
    void tearDown() {
        if (agent != null) {
            agent.close();
        }
        if (manifest != null) {
            manifest.close();
        }
    }

    @Test
    void aTransientFetchFailureIsRetriedWithinSecondsNotAtTheNextPollTimeout() throws Exception {
        Path served = tmp.resolve("origin");
        GitRepo origin = GitRepo.init(tmp.resolve("elsewhere"));
        String commit = Samples.schemas(origin).commit("first");
        manifest = new ScriptedManifest(Tokens.agent(HOST), "store-1", 0, HOLD).start();
        manifest.set("primary", null, commit);
        agent = start(AgentConfig.forHost(HOST, List.of(manifest.url())).repo("primary", served.toUri().toString()));

        RepoReport failing = manifest.awaitReport("primary", r -> r.error() != null, Duration.ofSeconds(30))
                .repos().get(0);
        assertThat(failing.permanent()).as("the git server is away: transient").isFalse();
        // No poll is answered from now on: the repository's worker retries by itself when the backoff is over.
        manifest.freezePolls();
        Files.move(origin.dir(), served);

        manifest.awaitReport("primary", r -> commit.equals(r.next()), Duration.ofSeconds(25));
    }

    @Test
    void aPollMadeWhileARetryWaitsAsksToBeAnsweredByThen() throws Exception {
        GitRepo origin = GitRepo.init(tmp.resolve("elsewhere"));
        String commit = Samples.schemas(origin).commit("first");
        manifest = new ScriptedManifest(Tokens.agent(HOST), "store-1", 0, HOLD).start();
        manifest.set("primary", null, commit);
        agent = start(AgentConfig.forHost(HOST, List.of(manifest.url()))
                .repo("primary", tmp.resolve("origin").toUri().toString()));
        manifest.awaitReport("primary", r -> r.error() != null, Duration.ofSeconds(30));

        // Answers the poll in flight: the next one starts while the retry waits.
        manifest.set("primary", null, commit);

        Awaitility.await("a poll with &wait=").atMost(Duration.ofSeconds(20)).until(() -> manifest.requests()
                .stream().anyMatch(request -> request.contains("/desired?since=2&wait=")));
    }

    @Test
    void aPermanentFailureIsRetriedOnlyWhenTheRetryGenerationGrows() throws Exception {
        GitRepo origin = GitRepo.init(tmp.resolve("origin"));
        String commit = Samples.schemas(origin).commit("first");
        Path runs = tmp.resolve("runs");
        Path fixed = tmp.resolve("fixed");
        // A short hold: the agent runs a sync round every second, each a chance to retry on its own.
        manifest = new ScriptedManifest(Tokens.agent(HOST), "store-1", 0, Duration.ofSeconds(1)).start();
        manifest.set("primary", null, commit);
        agent = start(AgentConfig.forHost(HOST, List.of(manifest.url())).repo("primary", origin.url())
                .repoProperty("primary", "verify-command", "echo run >> " + runs + "; test -f " + fixed));

        RepoReport failed = manifest.awaitReport("primary", r -> Boolean.TRUE.equals(r.permanent()),
                Duration.ofSeconds(30)).repos().get(0);
        assertThat(failed.retry()).isZero();
        assertThat(failed.errorSince()).isNotNull();
        Files.createFile(fixed);
        int reports = manifest.reports().size();
        Awaitility.await("three more rounds").atMost(Duration.ofSeconds(30))
                .until(() -> manifest.reports().size() >= reports + 3);
        assertThat(Files.readAllLines(runs)).as("several rounds, no retry").hasSize(1);

        manifest.set("primary", null, commit, 1);

        manifest.awaitReport("primary", r -> commit.equals(r.next()) && r.error() == null, Duration.ofSeconds(30));
        assertThat(Files.readAllLines(runs)).hasSize(2);
    }

    private ConfigurableApplicationContext start(AgentConfig config) {
        Path file = config.heartbeat("1s").write(tmp.resolve("agent"));
        return new SpringApplicationBuilder(AgentApplication.class)
                .run("--spring.config.additional-location=file:" + file, "--server.port=0");
    }
}

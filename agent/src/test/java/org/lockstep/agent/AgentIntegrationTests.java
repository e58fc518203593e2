package org.lockstep.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.agent.release.Links;
import org.lockstep.agent.release.RepoLayout;
import org.lockstep.agent.support.Samples;
import org.lockstep.agent.support.ScriptedManifest;
import org.lockstep.protocol.AgentReport;
import org.lockstep.testing.GitRepo;
import org.lockstep.testing.Http;
import org.lockstep.testing.agent.AgentConfig;
import org.lockstep.testing.manifest.Tokens;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole agent in this JVM against a {@link ScriptedManifest} on real HTTP, with real repositories and disk.
 */
class AgentIntegrationTests {

    static final Duration WAIT = Duration.ofSeconds(30);

    static final String HOST = "host-a";

    @TempDir
    Path tmp;

    GitRepo origin;

    String first;

    String second;

    ScriptedManifest manifest;

    ConfigurableApplicationContext agent;

    RepoLayout layout;

    @BeforeEach
    void setUp() throws Exception {
        origin = GitRepo.init(tmp.resolve("origin"));
        first = Samples.schemas(origin).commit("first");
        second = origin.write("jsonschema/event1/1.1.0.json", "{}\n").commit("second");
        manifest = new ScriptedManifest(Tokens.agent(HOST), "store-1", 0, Duration.ofSeconds(5)).start();
        layout = RepoLayout.of(tmp.resolve("agent/base"), "primary");
    }

    @AfterEach
    void tearDown() {
        if (agent != null) {
            agent.close();
        }
        manifest.close();
    }

    @Test
    void preparesAheadSwitchesWhenToldAndHealthFollows() throws Exception {
        manifest.set("primary", null, first);
        agent = start(List.of(manifest.url()));
        manifest.awaitReport("primary", r -> first.equals(r.next()), WAIT);
        assertThat(Links.state(layout.current())).isInstanceOf(Links.Absent.class);

        manifest.set("primary", first, null);
        manifest.awaitReport("primary", r -> first.equals(r.current()) && r.switchedAt() != null, WAIT);
        assertThat(health()).startsWith("200").contains("\"UP\"");

        manifest.set("primary", first, second);
        manifest.awaitReport("primary", r -> second.equals(r.next()), WAIT);
        assertThat(Links.commit(layout.current())).contains(first);

        int before = manifest.reports().size();
        Thread.sleep(2500);
        assertThat(manifest.reports().size()).as("heartbeats without changes").isGreaterThan(before);
        assertThat(manifest.reports().get(manifest.reports().size() - 1).revision())
                .isEqualTo(manifest.desired().revision());
        assertThat(prometheus()).contains("lockstep_agent_switches_total{application=\"lockstep-agent\","
                + "repo=\"primary\"} 1.0").contains("lockstep_agent_prepare_duration_seconds_count");
    }

    @Test
    void actsOnTheAnswerToAReportWithoutWaitingForAPoll() {
        manifest.set("primary", first, null);
        agent = start(List.of(manifest.url()));
        manifest.awaitReport("primary", r -> first.equals(r.current()), WAIT);

        // From here on no poll is answered: what the agent does next it can only have learnt from report answers.
        manifest.freezePolls();
        manifest.set("primary", first, second);
        manifest.awaitReport("primary", r -> second.equals(r.next()), WAIT);
        manifest.set("primary", second, null);
        AgentReport switched = manifest.awaitReport("primary", r -> second.equals(r.current()), WAIT);
        assertThat(switched.revision()).as("the revision acted on, from a report's answer")
                .isEqualTo(manifest.desired().revision());
        assertThat(Links.commit(layout.current())).contains(second);
    }

    @Test
    void aHostThatCannotReachTheActiveCommitIsDown() throws Exception {
        manifest.set("primary", "0123456789abcdef0123456789abcdef01234567", null);
        agent = start(List.of(manifest.url()));
        manifest.awaitReport("primary", r -> r.error() != null && r.error().contains("CommitNotFound"), WAIT);
        assertThat(health()).startsWith("503").contains("\"DOWN\"");
        assertThat(prometheus()).contains("lockstep_agent_last_error{application=\"lockstep-agent\","
                + "repo=\"primary\"} 1.0");
    }

    @Test
    void keepsServingAndNeverSwitchesWhileNoManifestAnswersThenConverges() throws Exception {
        manifest.set("primary", first, null);
        agent = start(List.of(manifest.url()));
        manifest.awaitReport("primary", r -> first.equals(r.current()), WAIT);
        manifest.stop();
        agent.close();
        agent = start(List.of(manifest.url()));
        Thread.sleep(3000);
        assertThat(Links.commit(layout.current())).contains(first);
        assertThat(health()).as("the last known active commit is persisted").startsWith("200");

        manifest.set("primary", second, null);
        manifest.start();
        manifest.awaitReport("primary", r -> second.equals(r.current()), WAIT);
        assertThat(Links.commit(layout.current())).contains(second);
    }

    @Test
    void failsOverToTheNextManifestUrl() {
        manifest.set("primary", first, null);
        agent = start(List.of("http://127.0.0.1:1", manifest.url()));
        manifest.awaitReport("primary", r -> first.equals(r.current()), WAIT);
    }

    @Test
    void neverActsOnAnOlderRevisionOfTheSameStore() throws Exception {
        manifest.reset("store-1", 10);
        manifest.set("primary", first, null);
        agent = start(List.of(manifest.url()));
        manifest.awaitReport("primary", r -> first.equals(r.current()), WAIT);

        // A stale instance of the same store: lower revision (5, then 6), different active commit. Reset before
        // set, so the new commit is never offered at a revision above the one acted on (11).
        manifest.reset("store-1", 5);
        manifest.set("primary", second, null);
        Thread.sleep(3000);
        assertThat(Links.commit(layout.current())).contains(first);
        List<String> polls = manifest.requests().stream().filter(r -> r.contains("/desired")).toList();
        assertThat(polls.get(polls.size() - 1)).as("still polling from the revision acted on").contains("since=11");

        // A rebuilt store (new id) is followed even from a low revision.
        manifest.reset("store-2", 5);
        manifest.awaitReport("primary", r -> second.equals(r.current()), WAIT);
        assertThat(manifest.reports().get(manifest.reports().size() - 1).storeId()).isEqualTo("store-2");
    }

    @Test
    void refusesToStartWithATokenFileOthersCanRead() throws Exception {
        Path config = config(List.of(manifest.url()));
        Files.setPosixFilePermissions(tmp.resolve("agent/token"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> run(config)).hasStackTraceContaining("accessible by group or others");
        Files.delete(tmp.resolve("agent/token"));
        assertThatThrownBy(() -> run(config)).hasStackTraceContaining("does not exist");
    }

    private ConfigurableApplicationContext start(List<String> urls) {
        return run(config(urls));
    }

    private Path config(List<String> urls) {
        return AgentConfig.forHost(HOST, urls).repo("primary", origin.url()).write(tmp.resolve("agent"));
    }

    private static ConfigurableApplicationContext run(Path config) {
        return new SpringApplicationBuilder(AgentApplication.class)
                .run("--spring.config.additional-location=file:" + config, "--server.port=0");
    }

    private String health() {
        return get("/actuator/health");
    }

    private String prometheus() {
        return get("/actuator/prometheus");
    }

    private String get(String path) {
        String port = Objects.requireNonNull(agent.getEnvironment().getProperty("local.server.port"));
        return Http.get("http://127.0.0.1:" + port + path).toString();
    }
}

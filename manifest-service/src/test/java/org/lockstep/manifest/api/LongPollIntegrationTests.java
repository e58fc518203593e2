package org.lockstep.manifest.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.lockstep.manifest.testing.SharedManifest;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.Tokens;

import tools.jackson.databind.JsonNode;

/**
 * Agents' long-polls against the real server (poll-timeout 2 s in the tests). Bounds are generous: they tell "answered
 * on the change" from "answered by the timeout", never measure latency.
 */
class LongPollIntegrationTests extends SharedManifest {

    private static final String REPO = "polls";

    private static final String HOST = "p1";

    @Test
    void pollWaitsAndIsAnsweredSoonAfterAChange() throws Exception {
        long revision = currentRevision();
        CompletableFuture<Response> poll = poll(revision);

        Thread.sleep(500);
        assertThat(poll).as("answered before any change").isNotDone();
        String commit = upstream(REPO).commit("wakes the poll");
        long setAt = System.nanoTime();
        target(REPO, commit);

        Response response = poll.get(1500, TimeUnit.MILLISECONDS);
        long afterMillis = Duration.ofNanos(System.nanoTime() - setAt).toMillis();
        assertThat(afterMillis).isLessThan(1500);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("revision").asLong()).isGreaterThan(revision);
        assertThat(response.json().path("repos").path(0).path("target").asString()).isEqualTo(commit);
    }

    @Test
    void activationAnswersWaitingPollsAtOnce() throws Exception {
        String commit = upstream(REPO).commit("activated while polled");
        target(REPO, commit);
        long revision = currentRevision();
        CompletableFuture<Response> poll = poll(revision);
        Thread.sleep(300);
        assertThat(poll).isNotDone();

        report(HOST, REPO, null, commit);

        JsonNode answer = poll.get(1500, TimeUnit.MILLISECONDS).json();
        assertThat(answer.path("repos").path(0).path("active").asString()).isEqualTo(commit);
        assertThat(answer.path("revision").asLong()).isGreaterThan(revision);
    }

    @Test
    void reportThatChangesNothingDesiredDoesNotAnswerPolls() throws Exception {
        long revision = currentRevision();
        CompletableFuture<Response> poll = poll(revision);
        Thread.sleep(200);

        report(HOST, REPO, null, null);

        Thread.sleep(500);
        assertThat(poll).as("a heartbeat is no change").isNotDone();
        assertThat(poll.get(10, TimeUnit.SECONDS).json().path("revision").asLong()).isEqualTo(revision);
    }

    @Test
    void pollThatTimesOutAnswers200WithTheSameRevision() throws Exception {
        long revision = currentRevision();
        long start = System.nanoTime();

        Response response = poll(revision).get(15, TimeUnit.SECONDS);

        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.json().path("revision").asLong()).isEqualTo(revision);
        assertThat(millis).as("held for the poll-timeout (2 s)").isBetween(1500L, 10_000L);
    }

    @Test
    void sinceAheadOfTheRevisionIsAnsweredAtOnce() throws Exception {
        long revision = currentRevision();
        long start = System.nanoTime();

        Response response = poll(revision + 1000).get(15, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isLessThan(1500);
        assertThat(response.json().path("revision").asLong()).isEqualTo(revision);
        assertThat(response.json().path("storeId").asString()).isNotBlank();
    }

    @Test
    void sinceBehindTheRevisionIsAnsweredAtOnce() throws Exception {
        target(REPO, upstream(REPO).commit("so the revision is above zero"));
        long revision = currentRevision();
        long start = System.nanoTime();

        Response response = poll(revision - 1).get(15, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isLessThan(1500);
        assertThat(response.json().path("revision").asLong()).isEqualTo(revision);
    }

    @Test
    void twoHundredWaitingPollsAreAllAnsweredByOneChange() throws Exception {
        long revision = currentRevision();
        List<CompletableFuture<Response>> polls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            polls.add(poll(revision));
        }
        Thread.sleep(700);
        assertThat(polls).noneMatch(CompletableFuture::isDone);
        assertThat(metric("lockstep_polls_held")).as("every poll held").isGreaterThanOrEqualTo(200);
        double fanOuts = metric("lockstep_polls_fanout_seconds_count");
        String commit = upstream(REPO).commit("wakes two hundred");

        target(REPO, commit);

        CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).get(1500, TimeUnit.MILLISECONDS);
        for (CompletableFuture<Response> poll : polls) {
            Response response = poll.join();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().path("repos").path(0).path("target").asString()).isEqualTo(commit);
        }
        assertThat(metric("lockstep_polls_fanout_seconds_count")).as("the fan-out is timed").isGreaterThan(fanOuts);
    }

    /** A series without labels from {@code /actuator/prometheus}. */
    private double metric(String name) {
        return api.get("/actuator/prometheus").body().lines().filter(line -> line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + name));
    }

    private CompletableFuture<Response> poll(long since) {
        return api.getAsync("/api/v1/agents/" + HOST + "/desired?since=" + since, Tokens.agent(HOST));
    }

    private long currentRevision() {
        return api.get("/api/v1/agents/" + HOST + "/desired?since=-1", Tokens.agent(HOST)).json().path("revision")
                .asLong();
    }
}

package org.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line without a manifest: usage errors, local refusals and unreachable manifests, each with its exit
 * code, and the token kept out of every line. Against a real manifest: cli's *ProcessTests and system-tests.
 */
class CommandLineTests {

    private static final String TOKEN = "s3cr3t-token-value";

    private static final String COMMIT = "1f2f466f0a1b2c3d4e5f60718293a4b5c6d7e8f9";

    @TempDir
    Path dir;

    @Test
    void withoutAManifestUrlItSaysWhereToGiveOne() {
        Result result = run(Map.of(), "status");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("no manifest URL", "--manifest", "LOCKSTEP_MANIFEST_URLS");
    }

    @Test
    void missingArgumentsAndBadOptionsAreUsageErrors() {
        Map<String, String> env = Map.of(Lockstep.MANIFEST_ENV, closedUrl(), Lockstep.TOKEN_ENV, TOKEN);
        assertThat(run(env, "target", "primary", COMMIT).err()).contains("Missing required option: '--reason=TEXT'");
        assertThat(run(env, "target", "primary", COMMIT).code()).isEqualTo(2);
        assertThat(run(env, "target", "primary", COMMIT, "--reason", "x", "--timeout", "soon").err())
                .contains("not a duration: 'soon'");
        assertThat(run(env, "deploy", "primary").code()).isEqualTo(2);
        assertThat(run(env, "wait", "twelve").code()).isEqualTo(2);
        assertThat(run(env).code()).as("no command").isEqualTo(2);
    }

    @Test
    void aNameThatIsNotARepositoryNeverReachesAUrl() {
        Result result = run(Map.of(Lockstep.MANIFEST_ENV, closedUrl()), "status", "../agents");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("not a repository name");
    }

    @Test
    void whenNoManifestAnswersItExits5NamingEveryUrlTried() {
        String first = closedUrl();
        String second = closedUrl();
        Result result = run(Map.of(Lockstep.MANIFEST_ENV, first + "," + second), "status");
        assertThat(result.code()).isEqualTo(5);
        assertThat(result.err()).contains("no manifest reachable", first + ": could not connect",
                second + ": could not connect");
    }

    @Test
    void optionsMayFollowTheCommandAndOverrideTheEnvironment() {
        String given = closedUrl();
        Result result = run(Map.of(Lockstep.MANIFEST_ENV, "http://127.0.0.1:9"), "status", "primary", "--manifest",
                given, "--json");
        assertThat(result.code()).isEqualTo(5);
        assertThat(result.out()).startsWith("{\"event\":\"unreachable\",\"exitCode\":5,");
        assertThat(result.out()).contains(given).doesNotContain(":9/");
    }

    @Test
    void aChangeWithoutATokenIsRefusedBeforeAnyRequest() {
        Result result = run(Map.of(Lockstep.MANIFEST_ENV, closedUrl()), "-v", "pause", "primary", "--reason", "x");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("needs a token", "LOCKSTEP_TOKEN", "--token-file")
                .doesNotContain("POST");
    }

    @Test
    void theTokenIsNeverPrintedNotEvenVerbose() throws IOException {
        Map<String, String> env = Map.of(Lockstep.MANIFEST_ENV, closedUrl(), Lockstep.TOKEN_ENV, TOKEN);
        Result fromEnvironment = run(env, "--verbose", "target", "primary", COMMIT, "--reason", "x", "--wait");
        assertThat(fromEnvironment.code()).isEqualTo(5);
        assertThat(fromEnvironment.err()).contains("PUT http://", "token from $LOCKSTEP_TOKEN");
        assertThat(fromEnvironment.out() + fromEnvironment.err()).doesNotContain(TOKEN);

        Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Result fromFile = run(Map.of(Lockstep.MANIFEST_ENV, closedUrl()), "-v", "--json", "--token-file",
                file.toString(), "retry", "primary", "--reason", TOKEN);
        assertThat(fromFile.code()).isEqualTo(5);
        assertThat(fromFile.out() + fromFile.err()).contains("token from " + file).doesNotContain(TOKEN);
    }

    @Test
    void aBadTokenIsDescribedByWhereItCameFromNeverByItsValue() throws IOException {
        Path spaced = Files.writeString(dir.resolve("spaced"), "half " + TOKEN);
        Result result = run(Map.of(Lockstep.MANIFEST_ENV, closedUrl()), "--token-file", spaced.toString(),
                "status");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("the token in token file " + spaced, "cannot be sent in an HTTP header")
                .doesNotContain(TOKEN);

        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThat(run(Map.of(Lockstep.MANIFEST_ENV, closedUrl()), "--token-file", empty.toString(), "status").err())
                .contains("is empty");
        assertThat(run(Map.of(Lockstep.MANIFEST_ENV, closedUrl()), "--token-file", dir.resolve("none").toString(),
                "status").err()).contains("does not exist");
    }

    @Test
    void aManifestUrlWithACredentialOrNoHttpIsRefused() {
        assertThat(run(Map.of(Lockstep.MANIFEST_ENV, "http://ci:" + TOKEN + "@127.0.0.1:1"), "status"))
                .satisfies(r -> {
                    assertThat(r.code()).isEqualTo(2);
                    assertThat(r.err()).contains("must not carry a user name or password").doesNotContain(TOKEN);
                });
        assertThat(run(Map.of(Lockstep.MANIFEST_ENV, "file:///etc/passwd"), "status").err())
                .contains("not a manifest URL");
    }

    @Test
    void helpListsEveryCommandAndExitCode() {
        Result result = run(Map.of(), "--help");
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("target", "wait", "status", "rollback", "pause", "resume", "cancel",
                "retry", "0   complete", "1   failed", "2   usage", "3   timed out", "4   superseded",
                "5   no manifest",
                "LOCKSTEP_MANIFEST_URLS", "LOCKSTEP_TOKEN");
    }

    @Test
    void everyCommandHasItsOwnHelpWithTheExitCodes() {
        for (String command : new String[] {"target", "wait", "status", "rollback", "pause", "resume", "cancel",
            "retry"}) {
            Result result = run(Map.of(), command, "--help");
            assertThat(result.code()).as(command).isZero();
            assertThat(result.out()).as(command).contains("Usage: lockstep " + command, "--manifest", "Exit codes:",
                    "5   no manifest reachable");
        }
        assertThat(run(Map.of(), "retry", "--help").out()).contains("--rollout=ID", "--wait", "--reason=TEXT");
    }

    private static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Lockstep.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), false, args);
        return new Result(code, out.toString(), err.toString());
    }

    /** A loopback URL nobody listens on. */
    private static String closedUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private record Result(int code, String out, String err) {
    }
}

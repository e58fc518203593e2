package org.lockstep.agent.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged {@code agent.jar} as a real process, killable with SIGKILL. */
public final class AgentProcess implements AutoCloseable {

    private final Process process;

    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static AgentProcess start(Path config, Path log, String... extraArgs) {
        String jar = System.getProperty("lockstep.agent.jar", "target/agent.jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx48m", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                // JGit reads ~/.gitconfig from user.home (not $HOME): point it away from the machine's config.
                "-Duser.home=" + config.getParent(), "-jar", jar,
                "--spring.config.additional-location=file:" + config, "--server.port=0"));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        GitFixture.isolate(builder.environment());
        builder.environment().put("HOME", config.getParent().toString());
        try {
            return new AgentProcess(builder.start(), log);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until the log has a line containing {@code text}, failing early if the agent dies. */
    public String awaitLog(String text, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            String output = output();
            for (String line : output.split("\n")) {
                if (line.contains(text)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("agent exited with " + process.exitValue() + " before logging " + text
                        + ":\n" + output);
            }
            sleep();
        }
        throw new AssertionError("agent did not log " + text + " within " + timeout + ":\n" + output());
    }

    /** {@code kill -KILL}: no shutdown hooks, no cleanup, exactly like a crash or an OOM kill. */
    public void killHard() {
        try {
            new ProcessBuilder("kill", "-KILL", Long.toString(process.pid())).start().waitFor();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("agent survived SIGKILL");
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            killHard();
        }
    }
}

package org.lockstep.agent.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real git repository built with the git CLI, isolated from the machine's git config. Small on purpose: these
 * disks are slow at creating many files.
 */
public final class GitFixture {

    private final Path dir;

    private GitFixture(Path dir) {
        this.dir = dir;
    }

    public static GitFixture init(Path dir) {
        GitFixture fixture = new GitFixture(dir);
        try {
            Files.createDirectories(dir);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        run(dir.getParent(), "git", "init", "-q", "-b", "main", dir.toString());
        return fixture;
    }

    public Path dir() {
        return dir;
    }

    public String url() {
        return dir.toUri().toString();
    }

    public GitFixture write(String path, String content) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.writeString(file, content);
            return this;
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public GitFixture executable(String path, String content) {
        write(path, content);
        try {
            Files.setPosixFilePermissions(dir.resolve(path), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    public GitFixture symlink(String path, String target) {
        try {
            Path link = dir.resolve(path);
            Files.createDirectories(link.getParent());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of(target));
            return this;
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A handful of schema-like files, an executable and an inside symlink. */
    public GitFixture sampleContent() {
        for (int i = 1; i <= 6; i++) {
            write("jsonschema/event" + i + "/1.0.0.json", "{\"title\": \"event " + i + "\"}\n");
            symlink("jsonschema/event" + i + "/latest.json", "1.0.0.json");
        }
        write("README.md", "schemas\n");
        executable("bin/check.sh", "#!/bin/sh\nexit 0\n");
        return this;
    }

    public String commit(String message) {
        git("add", "-A");
        git("commit", "-q", "--allow-empty", "-m", message);
        return git("rev-parse", "HEAD").trim();
    }

    public String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        return run(dir, command.toArray(String[]::new));
    }

    public static String run(Path cwd, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
            isolate(builder.environment());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void isolate(Map<String, String> env) {
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_AUTHOR_NAME", "Test");
        env.put("GIT_AUTHOR_EMAIL", "test@example.org");
        env.put("GIT_COMMITTER_NAME", "Test");
        env.put("GIT_COMMITTER_EMAIL", "test@example.org");
    }
}

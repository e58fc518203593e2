package org.lockstep.agent.sync;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * {@code <base-dir>/agent-state.properties}: the persisted {@link AgentState}. Written to a temp file, fsynced and
 * renamed over the old one, then the directory is fsynced, so a crash leaves the old state or the new one.
 */
public final class AgentStateFile {

    static final String NAME = "agent-state.properties";

    private final Path file;

    private volatile AgentState state;

    public AgentStateFile(Path baseDir) {
        this.file = baseDir.resolve(NAME);
        this.state = read(file);
    }

    public AgentState state() {
        return state;
    }

    public synchronized void write(AgentState next) {
        if (next.equals(state)) {
            return;
        }
        Properties properties = new Properties();
        if (next.storeId() != null) {
            properties.setProperty("store-id", next.storeId());
        }
        properties.setProperty("revision", Long.toString(next.revision()));
        next.active().forEach((repo, commit) -> properties.setProperty("active." + repo, commit));
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(NAME + ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING); OutputStream out = java.nio.channels.Channels
                    .newOutputStream(channel)) {
                properties.store(out, "Lockstep agent state: the newest desired state acted on. Do not edit.");
                out.flush();
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
            state = next;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static AgentState read(Path file) {
        if (!Files.exists(file)) {
            return AgentState.NONE;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            properties.load(reader);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> active = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("active.")) {
                active.put(key.substring("active.".length()), properties.getProperty(key));
            }
        }
        return new AgentState(properties.getProperty("store-id"),
                Long.parseLong(properties.getProperty("revision", "0")), active);
    }
}

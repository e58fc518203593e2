package org.lockstep.agent.sync;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * {@code <base-dir>/agent-state}: the persisted {@link AgentState}, written before the agent acts on a desired state,
 * so it is on the switch path and must be cheap. The file has two fixed slots of {@value #SLOT} bytes; each
 * {@link #write} goes to the slot not holding the newest state, in place: no new file, no rename, no change of the
 * file's size (it is made full size once). Once {@code write} returns, the state is what the next process reads
 * (a kill -9 cannot lose or tear it); {@link #sync} then makes it survive a power cut too, with one
 * {@code fdatasync}, which under a busy disk can take tens of milliseconds and so is done after acting, not
 * before. Each slot is text (so {@code tr -d '\0' < agent-state} shows both): a {@code generation}, the state's
 * keys, and a CRC-32 of the lines before it. Reading takes the valid slot with the higher generation, so a write
 * torn by a power cut leaves the previous state. A write never goes over the only slot known durable: when the
 * newest state is not synced yet (two writes before one {@code sync}), it is synced first.
 *
 * <p>Agents before this layout wrote {@code agent-state.properties} (renamed into place); it is read when
 * {@code agent-state} does not exist yet and removed after the first write of the new file.
 */
public final class AgentStateFile {

    static final String NAME = "agent-state";

    static final String OLD_NAME = "agent-state.properties";

    static final int SLOT = 16 * 1024;

    private final Path file;

    private final Path old;

    private volatile AgentState state;

    private long generation;

    /** The newest generation known to be on the disk (synced); below {@link #generation} while a write is not. */
    private long synced;

    public AgentStateFile(Path baseDir) {
        this.file = baseDir.resolve(NAME);
        this.old = baseDir.resolve(OLD_NAME);
        Optional<Slot> newest = Files.exists(file) ? newest(file) : Optional.empty();
        if (newest.isPresent()) {
            this.state = newest.get().state();
            this.generation = newest.get().generation();
            this.synced = generation;
        }
        else {
            this.state = Files.exists(old) ? readOld(old) : AgentState.NONE;
        }
    }

    public AgentState state() {
        return state;
    }

    /**
     * Makes {@code next} the state: written in place to the other slot, so a restart after a kill reads it. Does
     * nothing when it is the state already. {@link #sync} makes it durable against a power cut.
     */
    public synchronized void write(AgentState next) {
        if (next.equals(state)) {
            return;
        }
        byte[] slot = encode(next, generation + 1);
        try {
            boolean created = !Files.exists(file);
            if (created) {
                create();
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                if (synced < generation) {
                    // The slot about to be overwritten holds the only durable state: make the newest durable first.
                    channel.force(false);
                    synced = generation;
                }
                ByteBuffer buffer = ByteBuffer.wrap(slot);
                long at = (generation + 1) % 2 * SLOT;
                while (buffer.hasRemaining()) {
                    at += channel.write(buffer, at);
                }
                if (created) {
                    channel.force(false);
                    synced = generation + 1;
                }
            }
            generation++;
            state = next;
            if (created) {
                Files.deleteIfExists(old);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the last {@link #write} durable ({@code fdatasync}); does nothing when it is already. The flush does not
     * hold the lock, so a write may go on meanwhile; it counts as synced only once a flush after it ended.
     */
    public void sync() {
        long flushing;
        synchronized (this) {
            if (synced >= generation) {
                return;
            }
            flushing = generation;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(false);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + file + ": " + e.getMessage(), e);
        }
        synchronized (this) {
            synced = Math.max(synced, flushing);
        }
    }

    /** Both slots, zeroed, made durable with the directory entry: the file never changes size afterwards. */
    private void create() throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(NAME + ".new");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer zeros = ByteBuffer.allocate(2 * SLOT);
            while (zeros.hasRemaining()) {
                channel.write(zeros);
            }
            channel.force(true);
        }
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private record Slot(long generation, AgentState state) {
    }

    static byte[] encode(AgentState state, long generation) {
        StringBuilder text = new StringBuilder("# Lockstep agent state: the slot with the higher generation holds it."
                + " Do not edit.\n").append("generation=").append(generation).append('\n');
        Properties properties = new Properties();
        if (state.storeId() != null) {
            properties.setProperty("store-id", state.storeId());
        }
        properties.setProperty("revision", Long.toString(state.revision()));
        state.active().forEach((repo, commit) -> properties.setProperty("active." + repo, commit));
        new TreeMap<>(properties).forEach((key, value) -> text.append(escape((String) key)).append('=')
                .append(escape((String) value)).append('\n'));
        byte[] body = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] slot = (text + "crc=" + Long.toHexString(crc(body)) + "\n\0").getBytes(StandardCharsets.ISO_8859_1);
        if (slot.length > SLOT) {
            throw new IllegalStateException("agent state of " + slot.length + " bytes does not fit a slot of " + SLOT);
        }
        return slot;
    }

    private static Optional<Slot> newest(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Optional<Slot> newest = Optional.empty();
        for (int at = 0; at + 1 <= bytes.length && at < 2 * SLOT; at += SLOT) {
            Optional<Slot> slot = decode(bytes, at, Math.min(bytes.length, at + SLOT));
            if (slot.isPresent() && (newest.isEmpty() || slot.get().generation() > newest.get().generation())) {
                newest = slot;
            }
        }
        if (newest.isEmpty() && !allZero(bytes)) {
            throw new IllegalStateException(file + " holds no valid state in either slot; move it aside to start"
                    + " from no state (the agent then follows any manifest store)");
        }
        return newest;
    }

    /** A slot's state, or empty when the slot is empty or its CRC does not match (a torn write). */
    private static Optional<Slot> decode(byte[] bytes, int from, int to) {
        int end = from;
        while (end < to && bytes[end] != 0) {
            end++;
        }
        String text = new String(bytes, from, end - from, StandardCharsets.ISO_8859_1);
        int crcAt = text.lastIndexOf("crc=");
        if (crcAt < 0 || !text.endsWith("\n")) {
            return Optional.empty();
        }
        String body = text.substring(0, crcAt);
        try {
            long crc = Long.parseLong(text.substring(crcAt + 4, text.length() - 1), 16);
            if (crc != crc(body.getBytes(StandardCharsets.ISO_8859_1))) {
                return Optional.empty();
            }
            Properties properties = new Properties();
            properties.load(new StringReader(body));
            return Optional.of(new Slot(Long.parseLong(properties.getProperty("generation")), of(properties)));
        }
        catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static AgentState readOld(Path file) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Files.readString(file, StandardCharsets.ISO_8859_1)));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return of(properties);
    }

    private static AgentState of(Properties properties) {
        Map<String, String> active = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("active.")) {
                active.put(key.substring("active.".length()), properties.getProperty(key));
            }
        }
        return new AgentState(properties.getProperty("store-id"),
                Long.parseLong(properties.getProperty("revision", "0")), active);
    }

    /** Keys and values as {@link Properties#load} reads them back: backslash escapes, nothing outside ASCII. */
    private static String escape(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '=' || c == ':' || c == '#' || c == '!' || c == ' ') {
                out.append('\\').append(c);
            }
            else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            }
            else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}

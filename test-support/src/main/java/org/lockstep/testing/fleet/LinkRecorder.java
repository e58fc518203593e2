package org.lockstep.testing.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import org.lockstep.testing.Processes;

/**
 * Watches every host's {@code current} link from outside, as nginx would see it, and keeps the history of what each
 * host served and when, plus every moment a link did not lead to a complete directory. The invariants are checked
 * on this observed history, not on what the processes say about themselves.
 */
public final class LinkRecorder implements AutoCloseable {

    /** A host started serving {@code commit} (null: no link) at or just before {@code seenAt}. */
    public record Change(Instant seenAt, String host, String commit) {
    }

    private final Map<String, Path> repoDirs;

    private final List<Change> changes = new CopyOnWriteArrayList<>();

    private final List<String> violations = new CopyOnWriteArrayList<>();

    private final Thread thread;

    private volatile boolean running = true;

    /** Starts watching {@code repoDirsByHost} (host to the repository directory holding its links). */
    public LinkRecorder(Map<String, Path> repoDirsByHost) {
        this.repoDirs = Map.copyOf(repoDirsByHost);
        this.thread = new Thread(this::run, "link-recorder");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        Map<String, String> last = new HashMap<>();
        while (running) {
            for (Map.Entry<String, Path> entry : repoDirs.entrySet()) {
                String host = entry.getKey();
                String commit = sample(host, entry.getValue().resolve("current"));
                sample(host, entry.getValue().resolve("next"));
                if (!last.containsKey(host) || !Objects.equals(last.get(host), commit)) {
                    last.put(host, commit);
                    changes.add(new Change(Instant.now(), host, commit));
                }
            }
            Processes.sleep(Duration.ofMillis(2));
        }
    }

    /** Reads a link; records a violation when it exists but does not lead to a complete release directory. */
    private String sample(String host, Path link) {
        Path target;
        try {
            target = Files.readSymbolicLink(link);
        }
        catch (IOException ex) {
            if (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)) {
                return "(directory)";
            }
            return null;
        }
        String name = target.getFileName().toString();
        Path resolved = link.getParent().resolve(target);
        if (!Files.isDirectory(resolved) || name.startsWith(".tmp")) {
            violations.add(Instant.now() + " " + host + " " + link.getFileName() + " -> " + target
                    + " is not a complete release");
        }
        return name;
    }

    public List<Change> changes() {
        return new ArrayList<>(changes);
    }

    public List<String> violations() {
        return new ArrayList<>(violations);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}

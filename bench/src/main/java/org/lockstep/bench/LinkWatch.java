package org.lockstep.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sees every swap of the {@code current} links of some repository directories from outside the agents, by inotify
 * (the JDK's {@link WatchService} on Linux): {@code rename(2)} of the agent's temporary link over {@code current} is
 * an {@code IN_MOVED_TO} event, which the JDK reports as {@code ENTRY_CREATE}. Each swap is stamped with the wall
 * clock when this process took it, so the agents' own clocks and logs play no part.
 */
final class LinkWatch implements AutoCloseable {

    /** {@code host}'s {@code current} link was swapped to {@code commit}, seen at {@code at}. */
    record Swap(Instant at, String host, String commit) {
    }

    private final WatchService service;

    private final Map<WatchKey, String> hosts = new HashMap<>();

    private final Map<WatchKey, Path> dirs = new HashMap<>();

    private final List<Swap> swaps = new ArrayList<>();

    private final Thread thread;

    /** Starts watching {@code dirsByHost} (host to the repository directory holding its {@code current}). */
    LinkWatch(Map<String, Path> dirsByHost) {
        try {
            service = FileSystems.getDefault().newWatchService();
            for (Map.Entry<String, Path> entry : dirsByHost.entrySet()) {
                Files.createDirectories(entry.getValue());
                WatchKey key = entry.getValue().register(service, StandardWatchEventKinds.ENTRY_CREATE);
                hosts.put(key, entry.getKey());
                dirs.put(key, entry.getValue());
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::run, "link-watch");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                Instant at = Instant.now();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.context() instanceof Path name && name.toString().equals("current")) {
                        String commit = readLink(dirs.get(key).resolve("current"));
                        synchronized (swaps) {
                            swaps.add(new Swap(at, hosts.get(key), commit));
                            swaps.notifyAll();
                        }
                    }
                }
                key.reset();
            }
        }
        catch (InterruptedException | ClosedWatchServiceException e) {
            // Closed: done.
        }
    }

    /** Waits until every host in {@code expected} swapped to {@code commit}; returns each host's first such swap. */
    Map<String, Swap> await(String commit, List<String> expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (swaps) {
            while (true) {
                Map<String, Swap> seen = new HashMap<>();
                for (Swap swap : swaps) {
                    if (commit.equals(swap.commit()) && expected.contains(swap.host())) {
                        seen.putIfAbsent(swap.host(), swap);
                    }
                }
                if (seen.size() == expected.size()) {
                    return seen;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("only " + seen.keySet() + " of " + expected + " swapped to "
                            + commit + " within " + timeout);
                }
                swaps.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).getFileName().toString();
        }
        catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        service.close();
        thread.interrupt();
    }
}

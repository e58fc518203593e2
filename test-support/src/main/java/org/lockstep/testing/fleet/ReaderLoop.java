package org.lockstep.testing.fleet;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of the fleet's web servers looping as fast as it can on a thread of its own, each round reading through
 * hosts picked at random, counting rounds and misses: what {@link Canary} and {@link CrossRepoConsumer} share. A
 * round says nothing when it succeeded, else what it missed, in words.
 */
abstract class ReaderLoop implements AutoCloseable {

    private final List<Nginx> hosts;

    private final AtomicLong requests = new AtomicLong();

    private final AtomicLong misses = new AtomicLong();

    private final List<String> missed = new CopyOnWriteArrayList<>();

    private final AtomicBoolean running = new AtomicBoolean(true);

    private final Random random = new Random();

    private final Thread thread;

    ReaderLoop(String name, List<Nginx> hosts) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no hosts to read from: serve the fleet with nginx first");
        }
        this.hosts = List.copyOf(hosts);
        this.thread = new Thread(this::loop, name);
    }

    /**
     * One round, every host it asks drawn with {@link #anyHost()}: empty when every answer was right, else the miss
     * in words (host and answer) for the failure message.
     */
    abstract Optional<String> round();

    /** A host drawn at random, as a load balancer would pick one; for the loop's own thread. */
    final Nginx anyHost() {
        return hosts.get(random.nextInt(hosts.size()));
    }

    void begin() {
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the loop and waits for the round in progress. */
    public void stop() {
        running.set(false);
        try {
            thread.join(10_000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Rounds done, missed ones included. */
    public long requests() {
        return requests.get();
    }

    public long misses() {
        return misses.get();
    }

    /** The first misses, in words (host and answer), for the failure message. */
    public List<String> missed() {
        return List.copyOf(missed);
    }

    @Override
    public void close() {
        stop();
    }

    private void loop() {
        while (running.get()) {
            round().ifPresent(this::miss);
            requests.incrementAndGet();
        }
    }

    private void miss(String what) {
        misses.incrementAndGet();
        if (missed.size() < 20) {
            missed.add(what);
        }
    }
}

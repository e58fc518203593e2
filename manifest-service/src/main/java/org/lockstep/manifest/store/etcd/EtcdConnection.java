package org.lockstep.manifest.store.etcd;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import org.lockstep.manifest.store.StoreHealth;
import org.lockstep.manifest.store.StoreNotOpen;
import org.lockstep.manifest.store.StoreUnavailable;
import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's connection to etcd and its health. Opening is: build the clients from the files, probe (a
 * linearizable read of the store id key, through a client that fails at once with the transport's own error), then
 * the store's own opening (find or create the store id). Until that succeeded the store is not open: requests fail
 * with {@link StoreNotOpen}, health is DOWN with the {@link EtcdProblem}, and the attempt is repeated every
 * {@link #RETRY_DELAY}, reading the files again, so fixing a file or starting etcd needs no restart. A failure never
 * reaches the store's opening as "no store id": it fails the attempt. Once open, the probe runs every
 * {@link #PROBE_INTERVAL} so health follows etcd. Each new cause is logged once, at ERROR, in one line; its
 * repetitions at DEBUG; the recovery at INFO.
 */
final class EtcdConnection implements AutoCloseable {

    static final Duration RETRY_DELAY = Duration.ofSeconds(2);

    static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(EtcdConnection.class);

    /** The store's part of opening: given a working client, find or create its id and start watching. */
    @FunctionalInterface
    interface Opener {

        /** Throws (and leaves nothing running) when it cannot open; is called again at the next attempt. */
        void open(Client client);
    }

    private final EtcdSettings settings;

    private final ByteSequence probeKey;

    private final Opener opener;

    private final EtcdCalls calls;

    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "etcd-connection");
        thread.setDaemon(true);
        return thread;
    });

    /** What runs once the store is open (and again until it succeeds); guarded by {@code this}. */
    private final Deque<Runnable> startups = new ArrayDeque<>();

    private volatile Client storeClient;

    private volatile Client probeClient;

    private volatile State state = new State(false, null, Instant.now(), 0, null);

    private volatile boolean closed;

    /** Tries to open at once (so a healthy etcd gives an open store on return), then keeps trying in background. */
    EtcdConnection(EtcdSettings settings, ByteSequence probeKey, Opener opener) {
        this.settings = settings;
        this.probeKey = probeKey;
        this.opener = opener;
        this.calls = new EtcdCalls(settings);
        attempt();
    }

    /** The store's client; {@link StoreNotOpen} (with the cause) until the store has opened. */
    Client client() {
        Client client = storeClient;
        if (client == null) {
            State now = state;
            throw new StoreNotOpen("the etcd store is not open yet"
                    + (now.fault() == null ? "" : ": " + now.fault().getMessage()));
        }
        return client;
    }

    boolean open() {
        return state.open();
    }

    /** Throws when the store is not open, or when the last attempt or probe failed (the probe runs every 5 s). */
    void checkAvailable() {
        client();
        EtcdFault fault = state.fault();
        if (fault != null) {
            throw new StoreUnavailable(fault.getMessage(), fault);
        }
    }

    /** Runs {@code startup} now if the store is open, else once it is; retried while it fails. */
    void whenOpen(Runnable startup) {
        synchronized (this) {
            if (!state.open() || !startups.isEmpty()) {
                startups.addLast(startup);
                return;
            }
        }
        try {
            startup.run();
        }
        catch (StoreUnavailable ex) {
            synchronized (this) {
                startups.addFirst(startup);
            }
            failed(EtcdFaults.classify(ex, settings, settings.timeout()));
            schedule(this::runStartups, RETRY_DELAY);
        }
    }

    StoreHealth health() {
        State now = state;
        boolean pending;
        synchronized (this) {
            pending = !startups.isEmpty();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("store", "etcd");
        details.put("endpoints", settings.endpoints().stream().map(URI::toString).toList());
        details.put("prefix", settings.prefix());
        details.put("as", settings.identity());
        details.put("open", now.open());
        if (now.fault() != null) {
            details.put("cause", now.fault().problem().slug());
            details.put("detail", now.fault().detail());
            details.put("hint", now.fault().problem().hint());
            details.put("since", now.since().toString());
            details.put("failedAttempts", now.failures());
        }
        else if (pending) {
            details.put("cause", "starting");
            details.put("detail", "the store is open; its start-up writes have not succeeded yet");
        }
        return new StoreHealth(now.open() && now.fault() == null && !pending, details);
    }

    private void attempt() {
        if (closed) {
            return;
        }
        Client probe = null;
        Client store = null;
        try {
            probe = EtcdClients.forProbe(settings);
            probe(probe);
            store = EtcdClients.forStore(settings);
            opener.open(store);
            probeClient = probe;
            storeClient = store;
        }
        catch (RuntimeException ex) {
            closeQuietly(store);
            closeQuietly(probe);
            failed(EtcdFaults.classify(ex, settings, settings.timeout()));
            schedule(this::attempt, RETRY_DELAY);
            return;
        }
        synchronized (this) {
            state = new State(true, state.fault(), state.since(), state.failures(), state.said());
        }
        recovered();
        worker.scheduleWithFixedDelay(this::probeOnce, PROBE_INTERVAL.toMillis(), PROBE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        schedule(this::runStartups, Duration.ZERO);
    }

    private void runStartups() {
        while (!closed) {
            Runnable next;
            synchronized (this) {
                next = startups.peekFirst();
            }
            if (next == null) {
                return;
            }
            try {
                next.run();
            }
            catch (StoreUnavailable ex) {
                failed(EtcdFaults.classify(ex, settings, settings.timeout()));
                schedule(this::runStartups, RETRY_DELAY);
                return;
            }
            synchronized (this) {
                startups.removeFirst();
            }
        }
    }

    private void probeOnce() {
        try {
            probe(probeClient);
            recovered();
        }
        catch (RuntimeException ex) {
            failed(EtcdFaults.classify(ex, settings, settings.timeout()));
        }
    }

    /** A linearizable read of one key: needs a connection, TLS and authentication accepted, read access, a leader. */
    private void probe(Client client) {
        calls.await(client.getKVClient().get(probeKey, GetOption.builder().withCountOnly(true).build()),
                "reading the store id");
    }

    private void failed(EtcdFault fault) {
        State before;
        boolean say;
        synchronized (this) {
            before = state;
            boolean same = before.fault() != null && before.fault().problem() == fault.problem();
            // A first attempt that only timed out is said when it happens again: a cold JVM's first TLS handshake
            // and authentication can take seconds on a loaded machine. Every definite answer is said at once.
            boolean coldStart = fault.problem() == EtcdProblem.NOT_ANSWERING && !before.open()
                    && before.failures() == 0;
            say = fault.problem() != before.said() && !coldStart;
            state = new State(before.open(), fault, same ? before.since() : Instant.now(), before.failures() + 1,
                    say ? fault.problem() : before.said());
        }
        if (closed) {
            return;
        }
        if (!say) {
            log.debug("event=etcd-still-unavailable cause={} attempt={} detail={}", fault.problem().slug(),
                    before.failures() + 1, LogText.quoted(fault.detail()));
            return;
        }
        log.error("event=etcd-unavailable cause={} storeOpen={} endpoints={} prefix={} as={} detail={} hint={}"
                        + " retry={}", fault.problem().slug(), before.open(), settings.endpoints(), settings.prefix(),
                LogText.quoted(settings.identity()), LogText.quoted(fault.detail()),
                LogText.quoted(fault.problem().hint()),
                (before.open() ? PROBE_INTERVAL : RETRY_DELAY).toSeconds() + "s");
        log.debug("event=etcd-unavailable stack trace", fault);
    }

    private void recovered() {
        State before;
        synchronized (this) {
            before = state;
            if (before.fault() == null) {
                return;
            }
            state = new State(before.open(), null, Instant.now(), 0, null);
        }
        log.info("event=etcd-available endpoints={} prefix={} downSince={} failedAttempts={}", settings.endpoints(),
                settings.prefix(), before.since(), before.failures());
    }

    private void schedule(Runnable task, Duration delay) {
        if (!closed) {
            worker.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void closeQuietly(Client client) {
        if (client != null) {
            client.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        closeQuietly(storeClient);
        closeQuietly(probeClient);
    }

    /**
     * @param open     whether the store has opened (it stays open once it has)
     * @param fault    the current problem, or null when the last attempt or probe succeeded
     * @param since    when the current problem began (or ended)
     * @param failures failed attempts or probes in a row
     * @param said     the problem last logged at ERROR, so each is said once
     */
    private record State(boolean open, EtcdFault fault, Instant since, int failures, EtcdProblem said) {
    }
}

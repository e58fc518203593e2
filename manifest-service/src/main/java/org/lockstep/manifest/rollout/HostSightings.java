package org.lockstep.manifest.rollout;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * When each host was last heard from (a report or a poll), and the newest report seen from it. Kept in memory on
 * purpose: both change every few seconds per host and writing them would make every heartbeat a durable write; a
 * restart forgets them for no longer than one heartbeat (the ordering key of the last report that changed anything
 * is durable with the host's status, see {@code HostStatus#isStaleNextTo}).
 */
@Component
public class HostSightings {

    /** Sessions of earlier agent processes remembered per host, so their late reports are refused. */
    static final int RETIRED_SESSIONS = 4;

    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();

    private final Map<String, Newest> newest = new ConcurrentHashMap<>();

    void seen(String host, Instant at) {
        lastSeen.merge(host, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Whether a report of {@code host} was seen since this instance started (see {@link #inOrder}). */
    boolean knowsOrderOf(String host) {
        return newest.containsKey(host);
    }

    /**
     * Whether a report numbered {@code sequence} in {@code session} is the newest heard from {@code host}, and if so
     * remembers it. A stale one (same session, sequence not above the newest; or a session the host's agent left
     * behind when it restarted) must be dropped whole, whatever its clock says. The stored status only keeps the key
     * of reports that changed something, so without this a stale report could follow an unchanged heartbeat and win.
     * A report without session (an old agent) is always in order: arrival order is all there is.
     */
    boolean inOrder(String host, String session, long sequence) {
        if (session == null) {
            return true;
        }
        boolean[] accepted = new boolean[1];
        newest.compute(host, (h, known) -> {
            if (known == null) {
                accepted[0] = true;
                return new Newest(session, sequence, new ArrayDeque<>());
            }
            accepted[0] = known.accepts(session, sequence);
            return accepted[0] ? known.after(session, sequence) : known;
        });
        return accepted[0];
    }

    public Optional<Instant> lastSeen(String host) {
        return Optional.ofNullable(lastSeen.get(host));
    }

    /** The newest report of one host, and the sessions its agent had before. */
    private record Newest(String session, long sequence, Deque<String> retired) {

        boolean accepts(String otherSession, long otherSequence) {
            return session.equals(otherSession) ? otherSequence > sequence : !retired.contains(otherSession);
        }

        Newest after(String otherSession, long otherSequence) {
            if (session.equals(otherSession)) {
                return new Newest(session, otherSequence, retired);
            }
            Deque<String> older = new ArrayDeque<>(retired);
            older.addFirst(session);
            while (older.size() > RETIRED_SESSIONS) {
                older.removeLast();
            }
            return new Newest(otherSession, otherSequence, older);
        }
    }
}

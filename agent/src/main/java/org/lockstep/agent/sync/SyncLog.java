package org.lockstep.agent.sync;

import java.io.IOException;

import org.lockstep.agent.git.GitFailure;
import org.lockstep.agent.release.VerifyFailed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place sync events are logged: one line each, failures at WARN, stack traces only when unexpected. */
final class SyncLog {

    private static final Logger log = LoggerFactory.getLogger(SyncLog.class);

    private SyncLog() {
    }

    /** Logs {@code event}; {@code cause} is the exception behind a failure, or {@code null}. */
    static void log(SyncEvent event, String host, Throwable cause) {
        String line = line(event, host);
        if (!(event instanceof SyncEvent.Failed)) {
            log.info(line);
        }
        else if (cause == null || expected(cause)) {
            log.warn(line);
            if (cause != null) {
                log.debug("event={} repo={} stack trace", event.name(), event.repo(), cause);
            }
        }
        else {
            log.warn(line, cause);
        }
    }

    /** The line logged for {@code event}. */
    static String line(SyncEvent event, String host) {
        String fields = event.fields();
        return "event=" + event.name() + " repo=" + event.repo() + " commit=" + event.commit() + " host=" + host
                + (fields.isEmpty() ? "" : " " + fields);
    }

    /** Failures of git, of the verify command and of the disk are expected; anything else is a bug. */
    private static boolean expected(Throwable cause) {
        return cause instanceof IOException || cause instanceof GitFailure || cause instanceof VerifyFailed;
    }
}

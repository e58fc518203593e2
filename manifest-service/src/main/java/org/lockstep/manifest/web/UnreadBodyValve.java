package org.lockstep.manifest.web;

import java.io.IOException;
import java.util.Locale;

import jakarta.servlet.ServletException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * A refusal answered before the request's body was read (a webhook without its secret, a form from a stranger, a
 * request without a token, a body too large or too slow) closes the connection after the answer instead of draining
 * the rest of the body. Tomcat drains an unread body to keep the connection alive and gives that up only for a few
 * statuses (400, 408, 413, ...); draining a body that a client sends a byte at a time holds a request thread as long
 * as the client likes, which is what a slow client wants.
 * <p>
 * Whoever refuses says so with {@code Connection: close} on its answer ({@code problem.Problems} does for every
 * refusal it writes to a request with a body); this valve, outermost on the engine so that error pages are rendered
 * by then, finishes that answer and takes Tomcat's own "aborted upload" path: no draining, the connection closed.
 */
final class UnreadBodyValve extends ValveBase {

    UnreadBodyValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        if (!request.isAsync() && response.getStatus() >= 400 && closing(response)
                && !request.getCoyoteRequest().isFinished()) {
            response.finishResponse();
            request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        }
    }

    private static boolean closing(Response response) {
        String connection = response.getHeader("Connection");
        return connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
    }
}

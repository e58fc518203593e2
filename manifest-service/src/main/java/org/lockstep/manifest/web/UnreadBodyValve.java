package org.lockstep.manifest.web;

import java.io.IOException;

import jakarta.servlet.ServletException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * An error answered before the request's body was read (a webhook with the wrong secret, a form from a stranger, a
 * body that came too slowly) closes the connection after the answer instead of draining the rest of the body.
 * Tomcat drains an unread body so the connection can be kept alive, and only gives that up for a few statuses
 * (400, 408, 413, ...); draining a body that a client sends a byte at a time holds a request thread as long as the
 * client likes, which is what a slow client wants. This is Tomcat's own "aborted upload" path, taken for every
 * error answered before the body was read (webhook secrets, page forms, size and time limits answer uncommitted).
 */
final class UnreadBodyValve extends ValveBase {

    UnreadBodyValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        // Only before the answer is committed: the Connection header then tells the client, and the answer is sent
        // whole before the connection closes. Answers Spring MVC committed come after the body was read.
        if (!request.isAsync() && !response.isCommitted() && response.getStatus() >= 400
                && !request.getCoyoteRequest().isFinished()) {
            response.setHeader("Connection", "close");
            request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        }
    }
}

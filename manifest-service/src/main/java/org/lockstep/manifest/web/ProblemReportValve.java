package org.lockstep.manifest.web;

import java.io.IOException;
import java.io.OutputStream;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.lockstep.manifest.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The host's error report: what Tomcat answers itself, before any servlet runs (a URL with {@code %2F} or a broken
 * {@code %zz}, a control character, an oversized header, a request line it cannot parse), as a problem detail
 * instead of Tomcat's HTML page. Everything that reaches the application is answered there; this sees only what
 * never did, so it says no more than the status: the request itself is what was wrong, and it is not echoed.
 */
public final class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int code = response.getStatus();
        if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        if (code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED.value() || code == HttpStatus.NOT_IMPLEMENTED.value()) {
            // An HTTP version or transfer coding the client made up: its fault, not the server's (no 5xx for that).
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            code = HttpStatus.BAD_REQUEST.value();
        }
        HttpStatus status = HttpStatus.resolve(code);
        if (status == null) {
            status = code < 500 ? HttpStatus.BAD_REQUEST : HttpStatus.INTERNAL_SERVER_ERROR;
        }
        byte[] json = Problems.json(status, Problems.slugFor(status), detail(status), null);
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setContentLength(json.length);
            OutputStream out = response.getOutputStream();
            out.write(json);
            response.finishResponse();
        }
        catch (IOException | IllegalStateException clientGone) {
            // nothing more can be said to this client
        }
    }

    private static String detail(HttpStatus status) {
        if (status == HttpStatus.BAD_REQUEST) {
            return "the request line, a header or the URL's percent-encoding is malformed, or the headers are too"
                    + " large";
        }
        return status.is5xxServerError() ? "the server could not take the request" : status.getReasonPhrase();
    }
}

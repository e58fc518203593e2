package org.lockstep.manifest.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.lockstep.manifest.problem.Problems;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * What the servlet container forwards to {@code /error} (a {@code sendError} from a filter, an exception nothing
 * handled): a problem detail, or for a browser the page's error template. Replaces Spring Boot's
 * {@code BasicErrorController}, which answered a plain JSON of its own and a 500 (status "999") to {@code /error}
 * asked for directly; that is a path like any other here, with nothing at it: 404.
 */
@Controller
@RequestMapping("${server.error.path:/error}")
class ProblemErrorController implements ErrorController {

    @RequestMapping(produces = MediaType.TEXT_HTML_VALUE)
    ModelAndView html(HttpServletRequest request, HttpServletResponse response) {
        HttpStatus status = status(request);
        response.setStatus(status.value());
        return new ModelAndView("error", Map.of("status", status.value(), "error", status.getReasonPhrase()));
    }

    @RequestMapping
    ResponseEntity<ProblemDetail> problem(HttpServletRequest request) {
        HttpStatus status = status(request);
        ProblemDetail problem = Problems.of(status, Problems.slugFor(status), detail(request, status));
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String path) {
            try {
                problem.setInstance(new URI(null, null, path, null)); // quotes what a URI may not hold
            }
            catch (URISyntaxException unusable) {
                // no instance then: the problem itself is what matters
            }
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** The status the container forwarded with; none means {@code /error} was asked for directly: 404. */
    private static HttpStatus status(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        return status == null || code == null ? HttpStatus.NOT_FOUND : status;
    }

    /** Our own refusals say why; a 5xx says no more than that it failed (the exception goes to the log). */
    private static String detail(HttpServletRequest request, HttpStatus status) {
        if (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) == null) {
            return "there is nothing at this address";
        }
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        if (status.is4xxClientError() && message instanceof String text && !text.isBlank()) {
            return text;
        }
        return status.is5xxServerError() ? "the manifest failed; its log has the details" : status.getReasonPhrase();
    }
}

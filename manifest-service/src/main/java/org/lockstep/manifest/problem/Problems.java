package org.lockstep.manifest.problem;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import tools.jackson.databind.json.JsonMapper;

/**
 * The stable problem types of the API (RFC 9457). A client may rely on {@code type}; {@code detail} is for people.
 * docs/api.md lists every type.
 */
public final class Problems {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    public static URI type(String slug) {
        return URI.create("urn:lockstep:problem:" + slug);
    }

    public static ProblemDetail of(HttpStatus status, String slug, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type(slug));
        return problem;
    }

    /**
     * The type of a failure known only by its status (the servlet container's own answers, {@code /error}):
     * the named types where one fits, {@code http-<status>} otherwise.
     */
    public static String slugFor(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "malformed-request";
            case UNAUTHORIZED -> "unauthorized";
            case FORBIDDEN -> "forbidden";
            case NOT_FOUND -> "not-found";
            case METHOD_NOT_ALLOWED -> "method-not-allowed";
            case REQUEST_TIMEOUT -> "body-too-slow";
            case CONTENT_TOO_LARGE -> "body-too-large";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported-media-type";
            case TOO_MANY_REQUESTS -> "too-many-requests";
            default -> "http-" + status.value();
        };
    }

    /** Writes a problem outside Spring MVC (security and size filters). */
    public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String slug,
                             String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (hasBody(request)) {
            // Refused before its body was read: close the connection rather than drain the body (a slow sender
            // would hold the thread); see web.UnreadBodyValve.
            response.setHeader(HttpHeaders.CONNECTION, "close");
        }
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"lockstep\"");
        }
        response.getOutputStream().write(json(status, slug, detail, request.getRequestURI()));
    }

    /** Whether {@code request} came with a body (a length, or a transfer coding). */
    public static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    /** The problem's JSON, for writers that have no Spring MVC at hand (the servlet container's error report). */
    public static byte[] json(HttpStatus status, String slug, String detail, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type(slug).toString());
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        return JSON.writeValueAsBytes(body);
    }
}

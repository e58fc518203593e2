package org.lockstep.manifest.problem;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

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

    /** Writes a problem outside Spring MVC (security and size filters). */
    public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String slug,
                             String detail) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type(slug).toString());
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", request.getRequestURI());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"lockstep\"");
        }
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
}

package org.lockstep.manifest.web;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.lockstep.manifest.problem.Problems;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses with {@code 415 unsupported-media-type} a request body whose {@code Content-Type} says nothing a reader
 * could use: a wildcard ({@code application/*}, {@code *}{@code /*}), or a charset no JVM knows. Spring MVC fails on
 * both with an exception it does not map (a 500); a media type it cannot parse at all it already answers 415. Runs
 * after the security chains (order -100), so a caller without a token still hears 401 first.
 */
@Component
@Order(0)
class MediaTypeFilter extends OncePerRequestFilter {

    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH", "DELETE");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !WITH_BODY.contains(request.getMethod()) || request.getContentType() == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String refusal = refusal(request.getContentType());
        if (refusal != null) {
            Problems.write(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", refusal);
            return;
        }
        chain.doFilter(request, response);
    }

    /** Why {@code contentType} is refused, or null when Spring MVC can be left to judge it. */
    static String refusal(String contentType) {
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        }
        catch (InvalidMediaTypeException notAMediaType) {
            return null; // Spring MVC ignores it and answers 415 itself
        }
        if (type.isWildcardType() || type.isWildcardSubtype()) {
            return "Content-Type must name the body's media type (application/json), not a wildcard";
        }
        String charset = type.getParameter("charset");
        if (charset != null && !supported(charset)) {
            return "Content-Type names a charset this server does not know";
        }
        return null;
    }

    private static boolean supported(String charset) {
        try {
            return Charset.isSupported(charset.replace("\"", ""));
        }
        catch (IllegalArgumentException illegal) {
            return false;
        }
    }
}

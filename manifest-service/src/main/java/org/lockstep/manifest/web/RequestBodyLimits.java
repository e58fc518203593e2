package org.lockstep.manifest.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.problem.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds every request body in size ({@code lockstep.manifest.max-request-body}, 413) and in read time
 * ({@code lockstep.manifest.http.body-read-timeout}, 408). A declared length over the limit is refused before
 * anything is read; otherwise the body is counted and timed while it is read, through {@link BoundedRequest}, which
 * also parses form bodies itself (Tomcat's own form parsing would wait for a slow sender without end). A body that
 * fails while it is read fails with {@link BodyTooLarge} or {@link BodyTooSlow}: the API's problem mapping answers
 * those read by Spring MVC, this filter those read by anything before it (the CSRF check reading a form).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestBodyLimits extends OncePerRequestFilter {

    private final long limit;

    private final Duration timeout;

    RequestBodyLimits(ManifestProperties properties, HttpLimits limits) {
        this.limit = properties.maxRequestBody().toBytes();
        this.timeout = limits.bodyReadTimeout();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > limit) {
            Problems.write(request, response, HttpStatus.CONTENT_TOO_LARGE, "body-too-large", tooLarge(limit));
            return;
        }
        try {
            chain.doFilter(new BoundedRequest(request, limit, System.nanoTime() + timeout.toNanos()), response);
        }
        catch (UncheckedIOException ex) {
            if (!answered(ex.getCause(), request, response)) {
                throw ex;
            }
        }
        catch (BodyTooLarge | BodyTooSlow ex) {
            if (!answered(ex, request, response)) {
                throw ex;
            }
        }
    }

    private boolean answered(Throwable failure, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (response.isCommitted()) {
            return false;
        }
        if (failure instanceof BodyTooLarge) {
            response.reset();
            Problems.write(request, response, HttpStatus.CONTENT_TOO_LARGE, "body-too-large", failure.getMessage());
            return true;
        }
        if (failure instanceof BodyTooSlow) {
            response.reset();
            Problems.write(request, response, HttpStatus.REQUEST_TIMEOUT, "body-too-slow", failure.getMessage());
            return true;
        }
        return false;
    }

    static String tooLarge(long limit) {
        return "request bodies are limited to " + limit + " bytes";
    }

    /** Thrown while reading a body that passed the size limit. */
    public static class BodyTooLarge extends IOException {

        BodyTooLarge(long limit) {
            super(tooLarge(limit));
        }
    }

    /** Thrown while reading a body that has not arrived whole within the read timeout. */
    public static class BodyTooSlow extends IOException {

        BodyTooSlow() {
            super("the request body did not arrive in time");
        }
    }
}

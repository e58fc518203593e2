package org.lockstep.manifest.auth;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.Semaphore;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.lockstep.manifest.problem.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Decides whether a form posted to the page is worth reading, before anything reads it (the CSRF check reads the
 * form's {@code _csrf} field). A sign-in needs the session the sign-in form made; every other form (the actions,
 * sign-out) needs an operator signed in on that session. Anything else is refused with 403 unread, as the CSRF check
 * would have refused it after reading. A sign-in has to be read to be judged (the token is the body), so at most
 * {@code lockstep.manifest.http.concurrent-signins} are read at a time and one past that is refused at once with
 * 429: slow sign-ins cannot take the request threads the API needs.
 */
class PageFormGuard extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(PageFormGuard.class);

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final Semaphore signins;

    PageFormGuard(int concurrentSignins) {
        this.signins = new Semaphore(concurrentSignins);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return READS.contains(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getRequestedSessionId() == null || !request.isRequestedSessionIdValid()) {
            refuse(request, response, HttpStatus.FORBIDDEN, "no session: use the form on the page");
            return;
        }
        if (!"/signin".equals(request.getServletPath())) {
            if (!signedInOperator()) {
                refuse(request, response, HttpStatus.FORBIDDEN, "sign in with an operator token to do this");
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        if (!signins.tryAcquire()) {
            log.warn("event=signin-busy remote={}", request.getRemoteAddr());
            response.setHeader(HttpHeaders.RETRY_AFTER, "5");
            refuse(request, response, HttpStatus.TOO_MANY_REQUESTS, "too many sign-ins at once");
            return;
        }
        try {
            chain.doFilter(request, response);
        }
        finally {
            signins.release();
        }
    }

    /** The page's error answer, and the connection closed after it rather than the unread form drained. */
    private static void refuse(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
                               String why) throws IOException {
        if (Problems.hasBody(request)) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
        }
        response.sendError(status.value(), why);
    }

    private static boolean signedInOperator() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Caller caller
                && caller.isOperator();
    }
}

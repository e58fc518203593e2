package org.lockstep.manifest.auth;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.lockstep.manifest.problem.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns {@code Authorization: Bearer <token>} into a {@link Caller}. A request without the header stays anonymous
 * (reads are open); a header with an unknown token is refused at once with 401, before any controller runs.
 */
class TokenAuthenticationFilter extends OncePerRequestFilter {

    private static final String PREFIX = "Bearer ";

    private final TokenRegistry tokens;

    TokenAuthenticationFilter(TokenRegistry tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Caller> caller = header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                ? tokens.authenticate(header.substring(PREFIX.length()).trim()) : Optional.empty();
        if (caller.isEmpty()) {
            Problems.write(request, response, HttpStatus.UNAUTHORIZED, "unauthorized",
                    "the bearer token is not one this manifest knows");
            return;
        }
        PreAuthenticatedAuthenticationToken authentication = new PreAuthenticatedAuthenticationToken(caller.get(),
                null, List.of(new SimpleGrantedAuthority("ROLE_" + caller.get().role().name())));
        SecurityContextHolder.getContext().setAuthentication(authentication);
        chain.doFilter(request, response);
    }
}

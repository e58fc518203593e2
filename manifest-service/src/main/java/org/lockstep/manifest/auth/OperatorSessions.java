package org.lockstep.manifest.auth;

import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;

/**
 * Operator sign-in for the page: the operator pastes their operator token once, and the browser session carries the
 * resulting {@link Caller}. The same repositories back the page's security filter chain, so what is saved here is
 * what the chain loads on the next request.
 */
public class OperatorSessions {

    private static final Logger log = LoggerFactory.getLogger(OperatorSessions.class);

    private final TokenRegistry tokens;

    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    private final CsrfTokenRepository csrfTokens = new HttpSessionCsrfTokenRepository();

    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

    OperatorSessions(TokenRegistry tokens) {
        this.tokens = tokens;
    }

    /**
     * Signs the browser in if {@code secret} is an operator token: a new session id (no fixation), a new CSRF token,
     * and the caller saved in the session. Anything else signs nobody in and says nothing about why.
     */
    public Optional<Caller> signIn(String secret, HttpServletRequest request, HttpServletResponse response) {
        Optional<Caller> caller = secret == null || secret.isBlank() ? Optional.empty()
                : tokens.authenticate(secret.strip()).filter(Caller::isOperator);
        if (caller.isEmpty()) {
            log.warn("event=signin-refused remote={}", request.getRemoteAddr());
            return caller;
        }
        if (request.getSession(false) != null) {
            request.changeSessionId();
        }
        else {
            request.getSession(true);
        }
        csrfTokens.saveToken(null, request, response);
        SecurityContext context = holder.createEmptyContext();
        context.setAuthentication(new PreAuthenticatedAuthenticationToken(caller.get(), null,
                List.of(new SimpleGrantedAuthority("ROLE_" + caller.get().role().name()))));
        holder.setContext(context);
        contexts.saveContext(context, request, response);
        log.info("event=signin actor={} remote={}", caller.get().name(), request.getRemoteAddr());
        return caller;
    }

    SecurityContextRepository contexts() {
        return contexts;
    }

    CsrfTokenRepository csrfTokens() {
        return csrfTokens;
    }
}

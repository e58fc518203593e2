package org.lockstep.manifest.hooks;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.auth.TokenRegistry;
import org.lockstep.manifest.problem.Problems;
import org.lockstep.protocol.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks a webhook's shared secret (a header, or Gerrit's {@code ?token=}) before anything reads the body: a caller
 * without the secret is answered at once (404 for a hook that is not configured, 401 for a wrong or missing secret)
 * and its body is never read, so strangers sending slow bodies hold no request thread. Runs before the security
 * chains (order -100), right after {@link HookSecretFilter}.
 */
@Component
@Order(-110)
class WebhookSecretFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(WebhookSecretFilter.class);

    private final ManifestProperties properties;

    WebhookSecretFilter(ManifestProperties properties) {
        this.properties = properties;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/hooks/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        if (path.equals("/hooks/gitlab")) {
            check(properties.hooks().gitlab(), "gitlab", request.getHeader("X-Gitlab-Token"), request, response,
                    chain);
        }
        else if (path.equals("/hooks/gerrit")) {
            // Gerrit's plugin cannot send a header: its secret may come in the URL, which HookSecretFilter (first
            // of all filters) has already moved into a request attribute.
            String header = request.getHeader("X-Lockstep-Token");
            check(properties.hooks().gerrit(), "gerrit",
                    header != null ? header : (String) request.getAttribute(HookSecretFilter.ATTRIBUTE), request,
                    response, chain);
        }
        else {
            chain.doFilter(request, response);
        }
    }

    private static void check(ManifestProperties.Hook hook, String name, String secret, HttpServletRequest request,
                              HttpServletResponse response, FilterChain chain) throws ServletException, IOException {
        if (hook == null || hook.tokenSha256() == null) {
            Problems.write(request, response, HttpStatus.NOT_FOUND, "webhook-refused",
                    "the " + name + " webhook is not configured");
            return;
        }
        if (!TokenRegistry.matches(secret, hook.tokenSha256())) {
            log.warn("event=webhook-refused hook={} remote={} agent={}", name, request.getRemoteAddr(),
                    LogText.quoted(request.getHeader("User-Agent")));
            Problems.write(request, response, HttpStatus.UNAUTHORIZED, "webhook-refused",
                    "wrong or missing " + name + " webhook secret");
            return;
        }
        chain.doFilter(request, response);
    }
}

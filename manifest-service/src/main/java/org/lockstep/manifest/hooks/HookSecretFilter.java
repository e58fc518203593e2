package org.lockstep.manifest.hooks;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Takes a webhook's shared secret out of the URL before anything else sees the request. Gerrit's webhooks plugin
 * cannot send a header of its own, so its secret comes as {@code /hooks/gerrit?token=...}; this filter moves it into
 * a request attribute and hands on a request whose query string and parameters no longer hold it, so no log line of
 * Lockstep or Spring (whose DEBUG request log prints the query string) can ever show it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class HookSecretFilter extends OncePerRequestFilter {

    /** The request attribute that carries the secret from the URL to {@link WebhookController}. */
    static final String ATTRIBUTE = "org.lockstep.manifest.hooks.secret";

    static final String PARAMETER = "token";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/hooks/") || request.getQueryString() == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String secret = null;
        StringJoiner rest = new StringJoiner("&");
        for (String pair : request.getQueryString().split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            if (PARAMETER.equals(name)) {
                secret = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
            else if (!pair.isEmpty()) {
                rest.add(pair);
            }
        }
        if (secret == null) {
            chain.doFilter(request, response);
            return;
        }
        request.setAttribute(ATTRIBUTE, secret);
        chain.doFilter(new WithoutSecret(request, rest.length() == 0 ? null : rest.toString()), response);
    }

    /** The request as it would be without the secret in its URL. */
    private static final class WithoutSecret extends HttpServletRequestWrapper {

        private final String queryString;

        WithoutSecret(HttpServletRequest request, String queryString) {
            super(request);
            this.queryString = queryString;
        }

        @Override
        public String getQueryString() {
            return queryString;
        }

        @Override
        public String getParameter(String name) {
            return PARAMETER.equals(name) ? null : super.getParameter(name);
        }

        @Override
        public String[] getParameterValues(String name) {
            return PARAMETER.equals(name) ? null : super.getParameterValues(name);
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            Map<String, String[]> parameters = new LinkedHashMap<>(super.getParameterMap());
            parameters.remove(PARAMETER);
            return Collections.unmodifiableMap(parameters);
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(getParameterMap().keySet());
        }
    }
}

package org.lockstep.manifest.auth;

import jakarta.servlet.DispatcherType;

import org.lockstep.manifest.ManifestProperties.Role;
import org.lockstep.manifest.problem.Problems;
import org.lockstep.manifest.web.HttpLimits;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Who may do what over HTTP. The API is stateless and authenticated by bearer tokens: reads of status are open,
 * everything that changes state needs a token; which role and which host is checked by the controllers, which know
 * the repository and host in question. The operator page signs operators in with their token once and keeps them in a
 * session, with CSRF protection; everyone else reads it.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, TokenRegistry tokens) throws Exception {
        http.securityMatcher("/api/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(c -> c.disable())
                .authorizeHttpRequests(auth -> auth
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/v1/repos", "/api/v1/repos/**", "/api/v1/rollouts/**")
                        .permitAll()
                        // HEAD is GET without the body: open where GET is.
                        .requestMatchers(HttpMethod.HEAD, "/api/v1/repos", "/api/v1/repos/**", "/api/v1/rollouts/**")
                        .permitAll()
                        .anyRequest().authenticated())
                .addFilterBefore(new TokenAuthenticationFilter(tokens), AnonymousAuthenticationFilter.class)
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> Problems.write(request, response,
                                HttpStatus.UNAUTHORIZED, "unauthorized", "this request needs a bearer token"))
                        .accessDeniedHandler((request, response, ex) -> Problems.write(request, response,
                                HttpStatus.FORBIDDEN, "forbidden", "this token may not do that")));
        return http.build();
    }

    /**
     * The firewall refuses paths that are not normalized ({@code ..}, {@code //}, encoded dots) before any controller
     * runs; answer those with a problem detail too, instead of Spring Boot's plain error JSON.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, ex) -> Problems.write(request, response, HttpStatus.BAD_REQUEST, "invalid-input",
                "the request path is not normalized or has characters that are not allowed");
    }

    @Bean
    OperatorSessions operatorSessions(TokenRegistry tokens) {
        return new OperatorSessions(tokens);
    }

    /**
     * Webhooks (GitLab, Gerrit) cannot send a bearer token or a CSRF token; each authenticates with its shared secret
     * in {@code hooks.WebhookController}, so this chain only keeps them stateless and out of the page's session and
     * CSRF rules.
     */
    @Bean
    @Order(2)
    SecurityFilterChain hookSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher("/hooks/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(c -> c.disable())
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        return http.build();
    }

    /**
     * Everything outside the API and the webhooks: the operator page. Reading is open (GET, HEAD: page, fragments,
     * static files, actuator); the page's actions need an operator signed in through {@link OperatorSessions} and a
     * CSRF token; anything else is refused, so a path nobody thought of fails closed. {@link PageFormGuard} refuses
     * a form that could not pass before anything reads it.
     */
    @Bean
    @Order(3)
    SecurityFilterChain pageSecurity(HttpSecurity http, OperatorSessions sessions, HttpLimits limits)
            throws Exception {
        http.addFilterBefore(new PageFormGuard(limits.concurrentSignins()), CsrfFilter.class)
                .securityContext(c -> c.securityContextRepository(sessions.contexts()))
                .csrf(csrf -> csrf.csrfTokenRepository(sessions.csrfTokens()))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .requestCache(c -> c.disable())
                .logout(l -> l.logoutUrl("/signout").logoutSuccessUrl("/?signedout").invalidateHttpSession(true)
                        .clearAuthentication(true).deleteCookies("JSESSIONID"))
                .authorizeHttpRequests(auth -> auth
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers(HttpMethod.GET, "/**").permitAll()
                        .requestMatchers(HttpMethod.HEAD, "/**").permitAll()
                        .requestMatchers(HttpMethod.POST, "/signin").permitAll()
                        .requestMatchers(HttpMethod.POST, "/repos/*/rollback", "/repos/*/pause", "/repos/*/resume",
                                "/repos/*/cancel").hasRole(Role.operator.name())
                        .anyRequest().denyAll())
                // Not signed in is a 403 like a missing CSRF token: there is no login challenge to answer.
                .exceptionHandling(e -> e.authenticationEntryPoint((request, response, ex) -> response.sendError(
                        HttpStatus.FORBIDDEN.value(), "sign in with an operator token to do this")))
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self'; "
                        + "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                        + "frame-ancestors 'none'")));
        return http.build();
    }
}

package org.lockstep.manifest.web;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Tomcat's part of the HTTP edge, which no Spring property reaches: the valve that closes connections whose body
 * was refused unread. The settings that properties do reach
 * ({@code server.tomcat.*}: timeouts, swallow size, relative redirects) stay in application.yaml.
 */
@Component
class ContainerCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextValves(new UnreadBodyValve());
    }

    /** After Spring Boot's own customizer. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}

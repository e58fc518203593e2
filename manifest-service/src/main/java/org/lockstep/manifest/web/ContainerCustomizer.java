package org.lockstep.manifest.web;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Tomcat's part of the HTTP edge, which no Spring property reaches: the valve that closes connections whose body
 * was refused unread, the host's error report as a problem detail, and the buffers Tomcat keeps per connection. The
 * settings that properties do reach ({@code server.tomcat.*}: timeouts, swallow size, relative redirects, header
 * sizes) stay in application.yaml.
 * <p>
 * Every agent holds a long-poll open, so the manifest holds one connection per host, and Tomcat keeps its buffers
 * for each while it waits (docs/benchmarks.md measures about 95 KB per held poll with Tomcat's defaults). Agents'
 * requests and answers are a few hundred bytes: 2 KB socket buffers (8 KB by default), a 4 KB response header
 * buffer ({@code server.tomcat.max-http-response-header-size}) and a 4 KB response buffer ({@link HeldPollProtocol})
 * cost them nothing, and a bigger body (the operator page) is written in more, smaller writes. The request header
 * buffer stays at its default (8 KB): browsers send cookies the manifest does not choose.
 */
@Component
class ContainerCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    /** The socket's application read and write buffers, per connection. */
    static final int SOCKET_BUFFER_BYTES = 2048;

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.setProtocol(HeldPollProtocol.class.getName());
        factory.addEngineValves(new UnreadBodyValve());
        factory.addConnectorCustomizers(connector -> {
            connector.setProperty("socket.appReadBufSize", Integer.toString(SOCKET_BUFFER_BYTES));
            connector.setProperty("socket.appWriteBufSize", Integer.toString(SOCKET_BUFFER_BYTES));
        });
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                // Spring Boot adds a plain ErrorReportValve the same way; the host keeps the one its class names.
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.setErrorReportValveClass(ProblemReportValve.class.getName());
                host.getPipeline().addValve(new ProblemReportValve());
            }
        });
    }

    /** After Spring Boot's own customizer, whose error report valve this one replaces. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}

package org.lockstep.manifest.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.junit.jupiter.api.Test;
import org.lockstep.manifest.testing.SharedManifest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;

/**
 * The buffers Tomcat keeps for every open connection are the small ones of {@link ContainerCustomizer}: the manifest
 * holds a connection per host (its long-poll), so these sizes times the fleet are most of its heap, and it accepts
 * more connections than Tomcat's default. A response bigger than the smaller buffer still arrives whole.
 */
class ConnectionBuffersIntegrationTests extends SharedManifest {

    @Autowired
    ServletWebServerApplicationContext context;

    @Test
    void everyConnectionKeepsSmallBuffers() {
        Connector connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();
        AbstractHttp11Protocol<?> protocol = (AbstractHttp11Protocol<?>) connector.getProtocolHandler();

        assertThat(protocol).isInstanceOf(HeldPollProtocol.class);
        assertThat(protocol.getDesiredBufferSize()).isEqualTo(4096);
        assertThat(protocol.getMaxHttpResponseHeaderSize()).isEqualTo(4096);
        assertThat(String.valueOf(connector.getProperty("socket.appReadBufSize"))).isEqualTo("2048");
        assertThat(String.valueOf(connector.getProperty("socket.appWriteBufSize"))).isEqualTo("2048");
        assertThat(protocol.getMaxHttpRequestHeaderSize()).as("browsers' cookies still fit").isEqualTo(8192);
        assertThat(protocol.getMaxConnections()).as("a fleet's held polls, past Tomcat's 8,192").isEqualTo(16384);
    }

    @Test
    void aResponseFarBiggerThanTheBuffersArrivesWhole() {
        for (int i = 0; i < 40; i++) {
            target("other", upstream("other").commit("a rollout with a long enough reason " + i));
        }

        String body = api.get("/api/v1/repos/other/rollouts?size=40").expect(200).body();

        assertThat(body.length()).isGreaterThan(4 * HeldPollProtocol.RESPONSE_BUFFER_BYTES);
        assertThat(body).endsWith("}");
    }
}

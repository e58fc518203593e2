package org.lockstep.manifest.web;

import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's NIO HTTP/1.1 protocol with a smaller response buffer per connection (Tomcat's default is 8 KB of bytes and
 * 8 K characters): the manifest holds one connection per host while its long-poll waits, and every answer it gives
 * an agent is a few hundred bytes. A bigger response (the operator page) is sent in pieces once it outgrows the
 * buffer, as any streamed response is. See {@link ContainerCustomizer} for the other per-connection buffers.
 */
public class HeldPollProtocol extends Http11NioProtocol {

    /** The response buffer of each connection, in bytes (and in characters for its writer). */
    public static final int RESPONSE_BUFFER_BYTES = 4096;

    @Override
    public int getDesiredBufferSize() {
        return RESPONSE_BUFFER_BYTES;
    }
}

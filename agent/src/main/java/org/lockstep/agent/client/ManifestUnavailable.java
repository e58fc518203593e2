package org.lockstep.agent.client;

/** No manifest URL answered the request with a usable response; the message says what each one did. */
public class ManifestUnavailable extends Exception {

    public ManifestUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}

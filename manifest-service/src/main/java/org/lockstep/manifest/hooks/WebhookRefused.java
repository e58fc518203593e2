package org.lockstep.manifest.hooks;

import org.springframework.http.HttpStatus;

/** A webhook call without the right secret, or to a hook that is not configured. */
public class WebhookRefused extends RuntimeException {

    private final HttpStatus status;

    public WebhookRefused(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }
}

package org.lockstep.manifest.git;

/** The repository's remote (or the local mirror) could not be read. The API answers 502; nothing changed. */
public class RemoteUnreachable extends RuntimeException {

    public RemoteUnreachable(String message, Throwable cause) {
        super(message, cause);
    }
}

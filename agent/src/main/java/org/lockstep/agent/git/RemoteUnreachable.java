package org.lockstep.agent.git;

/** The remote could not be reached or refused the fetch (network, DNS, missing repository, authentication). */
public class RemoteUnreachable extends GitFailure {

    public RemoteUnreachable(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean permanent() {
        return false;
    }
}

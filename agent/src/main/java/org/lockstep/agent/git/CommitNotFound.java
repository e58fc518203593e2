package org.lockstep.agent.git;

/**
 * The remote answered but does not have the commit, neither by id nor on the branch. Not permanent: the agent's
 * remote may be a replica that has not received the push yet.
 */
public class CommitNotFound extends GitFailure {

    public CommitNotFound(String message) {
        super(message, null);
    }

    @Override
    public boolean permanent() {
        return false;
    }
}

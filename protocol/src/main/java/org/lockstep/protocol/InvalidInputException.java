package org.lockstep.protocol;

/**
 * A name, commit id or request field that does not have the shape the protocol requires.
 * The manifest service turns it into a 400 problem detail; nothing is looked up or changed.
 */
public class InvalidInputException extends IllegalArgumentException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field or path variable at fault, e.g. {@code commit}. */
    public String field() {
        return field;
    }
}

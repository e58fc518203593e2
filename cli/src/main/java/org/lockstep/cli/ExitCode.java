package org.lockstep.cli;

/**
 * The exit codes of every {@code lockstep} command, as docs/design.md fixes them. CI jobs branch on these, so their
 * meaning never changes; docs/ci.md lists them for users.
 */
enum ExitCode {

    /** The rollout is complete: every expected host serves the commit (or the command did what it was asked). */
    COMPLETE(0, "complete"),

    /** The rollout cannot complete: at least one host failed with a permanent error (named with the error). */
    FAILED(1, "failed"),

    /** Bad usage, or the manifest refused the input (its problem detail is printed in words). */
    REFUSED(2, "refused"),

    /** The timeout passed first; the hosts still waited for are named with since when. */
    TIMED_OUT(3, "timed-out"),

    /** The rollout was superseded by a newer target or cancelled by an operator (who, and why). */
    SUPERSEDED(4, "superseded"),

    /** No manifest answered (every URL failed to connect or answered with a server error). */
    UNREACHABLE(5, "unreachable");

    private final int code;

    private final String word;

    ExitCode(int code, String word) {
        this.code = code;
        this.word = word;
    }

    int code() {
        return code;
    }

    /** The name of the outcome in {@code --json} events. */
    String word() {
        return word;
    }
}

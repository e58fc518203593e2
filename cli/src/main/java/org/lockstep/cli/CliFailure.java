package org.lockstep.cli;

/**
 * Ends a command with a non-zero {@link ExitCode} and a message for people. The message never contains a token:
 * it is built from the manifest's answers and the command line, and {@link Output} masks the token besides.
 */
final class CliFailure extends RuntimeException {

    private final ExitCode exitCode;

    CliFailure(ExitCode exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    ExitCode exitCode() {
        return exitCode;
    }
}

package org.lockstep.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the API token comes from: {@code --token-file FILE} if given, else {@code LOCKSTEP_TOKEN}. Surrounding
 * whitespace (a file's final newline) is dropped. No message ever contains the token: a bad one is described by
 * where it came from, never by its value.
 */
final class TokenSource {

    private final Map<String, String> environment;

    TokenSource(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The token, or {@code null} when none is configured (reads need none). */
    String read(Path file) {
        String token;
        String origin;
        if (file != null) {
            origin = "token file " + file;
            try {
                token = Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            catch (NoSuchFileException ex) {
                throw new CliFailure(ExitCode.REFUSED, origin + " does not exist");
            }
            catch (IOException ex) {
                throw new CliFailure(ExitCode.REFUSED, "cannot read " + origin + " (" + ex.getClass().getSimpleName()
                        + ")");
            }
            if (token.isEmpty()) {
                throw new CliFailure(ExitCode.REFUSED, origin + " is empty");
            }
        }
        else {
            origin = "$" + Lockstep.TOKEN_ENV;
            String value = environment.get(Lockstep.TOKEN_ENV);
            token = value == null ? "" : value.strip();
            if (token.isEmpty()) {
                return null;
            }
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new CliFailure(ExitCode.REFUSED, "the token in " + origin + " contains a character that cannot"
                        + " be sent in an HTTP header (a space, a line break or a non-ASCII character)");
            }
        }
        return token;
    }
}

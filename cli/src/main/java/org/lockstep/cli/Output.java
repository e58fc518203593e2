package org.lockstep.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * Everything a command prints goes through here: change lines and results on stdout, problems and {@code --verbose}
 * traces on stderr, one JSON object per line with {@code --json}, and on a terminal a progress line that the next
 * line overwrites. The token is masked in every line, whatever produced it: a token must never reach a CI log.
 */
final class Output {

    private static final String MASK = "********";

    private final PrintWriter out;

    private final PrintWriter err;

    private final JsonMapper json;

    private final boolean jsonLines;

    private final boolean terminal;

    private final boolean verbose;

    private String secret;

    private boolean progressShown;

    Output(PrintWriter out, PrintWriter err, JsonMapper json, boolean jsonLines, boolean terminal, boolean verbose) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.jsonLines = jsonLines;
        this.terminal = terminal && !jsonLines;
        this.verbose = verbose;
    }

    /** The token in use, to be masked wherever it might appear. */
    void secret(String token) {
        this.secret = token == null || token.isEmpty() ? null : token;
    }

    boolean json() {
        return jsonLines;
    }

    /** A line for people on stdout (nothing with {@code --json}). */
    void line(String text) {
        if (!jsonLines) {
            print(out, text);
        }
    }

    /** A machine-readable event with {@code --json}: {@code {"event": name, ...fields}}; nothing otherwise. */
    void event(String name, Map<String, ?> fields) {
        if (jsonLines) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("event", name);
            object.putAll(fields);
            print(out, json.writeValueAsString(object));
        }
    }

    /** Any JSON value as one line, with {@code --json}. */
    void value(Object value) {
        if (jsonLines) {
            print(out, json.writeValueAsString(value));
        }
    }

    /** A problem for people, on stderr (also with {@code --json}, where stdout stays machine-readable). */
    void problem(String text) {
        print(err, text);
    }

    /** A trace of what the command does, with {@code --verbose} only. */
    void verbose(String text) {
        if (verbose) {
            print(err, "lockstep: " + text);
        }
    }

    /** On a terminal, replaces the progress line (e.g. "3/4 prepared"); nothing elsewhere. */
    void progress(String text) {
        if (terminal) {
            out.print("\r\u001b[K" + masked(text));
            out.flush();
            progressShown = true;
        }
    }

    private void print(PrintWriter writer, String text) {
        clearProgress();
        writer.println(masked(text));
        writer.flush();
    }

    private void clearProgress() {
        if (progressShown) {
            out.print("\r\u001b[K");
            out.flush();
            progressShown = false;
        }
    }

    /** An ordered field map for {@link #event}: {@code fields("repo", name, "rollout", id)}; values may be null. */
    static Map<String, Object> fields(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    String masked(String text) {
        return secret == null || text == null ? text : text.replace(secret, MASK);
    }
}

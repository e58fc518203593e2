package org.lockstep.protocol;

/**
 * Untrusted text in a log line (git's and a verify command's output, exception messages, HTTP bodies): quoted and
 * escaped, so it stays one value on one line and cannot forge another line or another field. Both services log
 * {@code event=... repo=... commit=... host=...} lines; their values from outside go through {@link #quoted}.
 */
public final class LogText {

    /** Longer text is cut here: a log line is for finding the event, the full text goes to the report. */
    static final int MAX = 1000;

    private LogText() {
    }

    /**
     * {@code text} in double quotes with {@code "} and {@code \} escaped by a backslash, CR, LF and tab as
     * {@code \r \n \t}, and other control and line-separator characters as {@code \}{@code uXXXX}; {@code null} as
     * the bare word {@code null}.
     */
    public static String quoted(String text) {
        if (text == null) {
            return "null";
        }
        int end = Math.min(text.length(), MAX);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = new StringBuilder(end + 16).append('"');
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        if (end < text.length()) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.append('"').toString();
    }
}

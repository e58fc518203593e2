package org.lockstep.protocol;

/** Quotes untrusted input for an error message: bounded in length, control characters escaped. */
final class Printable {

    private static final int MAX = 80;

    private Printable() {
    }

    static String of(String value) {
        if (value == null) {
            return "(missing)";
        }
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length() && i < MAX; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        if (value.length() > MAX) {
            out.append("...");
        }
        return out.append('"').toString();
    }
}

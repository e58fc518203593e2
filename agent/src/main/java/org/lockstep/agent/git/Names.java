package org.lockstep.agent.git;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of a tree entry's name (or a symlink's target) into the string Java writes to disk, refusing what
 * would not come out as exactly those bytes. Git stores names as bytes; Java's file API takes strings and encodes
 * them with the JVM's file-name encoding ({@code sun.jnu.encoding}, from the locale). Valid UTF-8 round-trips
 * exactly when that encoding is UTF-8; anything else would be written as different bytes than {@code git archive}
 * writes (JGit decodes bad bytes to U+FFFD), so it is refused instead, naming the bytes.
 */
final class Names {

    private final boolean utf8FileNames;

    private Names(boolean utf8FileNames) {
        this.utf8FileNames = utf8FileNames;
    }

    /** For this JVM's file-name encoding. */
    static Names forThisJvm() {
        String encoding = System.getProperty("sun.jnu.encoding");
        Charset charset = encoding == null || !Charset.isSupported(encoding) ? Charset.defaultCharset()
                : Charset.forName(encoding);
        return new Names(charset.equals(StandardCharsets.UTF_8));
    }

    /** For a JVM whose file names are encoded with {@code charset} (tests). */
    static Names forEncoding(Charset charset) {
        return new Names(charset.equals(StandardCharsets.UTF_8));
    }

    /**
     * The name as a string that Java writes back as exactly {@code raw[offset, offset + length)}.
     *
     * @param where the path so far ({@code parent/}), for the message
     * @throws UnsafePath when the bytes are not UTF-8 or this JVM would not write them back unchanged
     */
    String decode(String commit, String where, byte[] raw, int offset, int length) {
        boolean ascii = true;
        for (int i = offset; i < offset + length; i++) {
            if (raw[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(raw, offset, length, StandardCharsets.US_ASCII);
        }
        String name;
        try {
            CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            name = strict.decode(ByteBuffer.wrap(raw, offset, length)).toString();
        }
        catch (CharacterCodingException e) {
            throw new UnsafePath("commit " + commit + " has a name that is not valid UTF-8: " + where
                    + escaped(raw, offset, length) + "; it cannot be written as git has it, so it is refused");
        }
        if (!utf8FileNames) {
            throw new UnsafePath("commit " + commit + " has a non-ASCII name " + where + name + " and this JVM"
                    + " encodes file names as " + System.getProperty("sun.jnu.encoding") + ", not UTF-8; run the"
                    + " agent with a UTF-8 locale (e.g. LANG=C.UTF-8) to write it exactly");
        }
        return name;
    }

    /** ASCII as is, every other byte as {@code \xNN}: safe to log, and says exactly what the name was. */
    static String escaped(byte[] raw, int offset, int length) {
        StringBuilder s = new StringBuilder(length + 8);
        for (int i = offset; i < offset + length; i++) {
            int b = raw[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                s.append((char) b);
            }
            else {
                s.append(String.format("\\x%02x", b));
            }
        }
        return s.toString();
    }
}

package org.lockstep.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Untrusted text cannot break out of its log value. */
class LogTextTests {

    @Test
    void plainTextIsQuoted() {
        assertThat(LogText.quoted("remote hung up")).isEqualTo("\"remote hung up\"");
        assertThat(LogText.quoted("")).isEqualTo("\"\"");
        assertThat(LogText.quoted(null)).isEqualTo("null");
    }

    @Test
    void aForgedLineStaysOnTheLineItWasLoggedOn() {
        String hostile = "bad ref\nevent=switched repo=primary commit=" + "a".repeat(40) + " host=h1\r\n";

        String quoted = LogText.quoted(hostile);

        assertThat(quoted).doesNotContain("\n").doesNotContain("\r")
                .isEqualTo("\"bad ref\\nevent=switched repo=primary commit=" + "a".repeat(40) + " host=h1\\r\\n\"");
    }

    @Test
    void quotesAndBackslashesCannotEndTheValue() {
        assertThat(LogText.quoted("say \"hi\" error=none \\")).isEqualTo("\"say \\\"hi\\\" error=none \\\\\"");
    }

    @Test
    void otherControlAndSeparatorCharactersAreEscaped() {
        assertThat(LogText.quoted("a\tb\u0000c\u001b[31md\u2028e\u0085f\u007f"))
                .isEqualTo("\"a\\tb\\u0000c\\u001b[31md\\u2028e\\u0085f\\u007f\"");
    }

    @Test
    void longTextIsCutAndSaysHowLongItWas() {
        String quoted = LogText.quoted("x".repeat(LogText.MAX + 500));

        assertThat(quoted).startsWith("\"xxx").endsWith("x...(" + (LogText.MAX + 500) + " chars)\"");
        assertThat(quoted).hasSize(LogText.MAX + "\"...(1500 chars)\"".length());
    }
}

package org.lockstep.agent.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class NamesTests {

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void validUtf8IsKeptAsIsWhenTheJvmWritesFileNamesInUtf8() {
        byte[] raw = "größe.yaml".getBytes(StandardCharsets.UTF_8);
        assertThat(Names.forEncoding(StandardCharsets.UTF_8).decode(COMMIT, "a/", raw, 0, raw.length))
                .isEqualTo("größe.yaml");
    }

    @Test
    void aJvmThatDoesNotWriteUtf8FileNamesRefusesNonAsciiNamesAndSaysHowToFixIt() {
        byte[] raw = "größe.yaml".getBytes(StandardCharsets.UTF_8);
        Names ascii = Names.forEncoding(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> ascii.decode(COMMIT, "a/", raw, 0, raw.length)).isInstanceOf(UnsafePath.class)
                .hasMessageContaining("a/größe.yaml").hasMessageContaining("LANG=C.UTF-8");
        byte[] plain = "plain.yaml".getBytes(StandardCharsets.US_ASCII);
        assertThat(ascii.decode(COMMIT, "", plain, 0, plain.length)).isEqualTo("plain.yaml");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedAndShownEscaped() {
        byte[] raw = {'x', (byte) 0xc3, '(', '\n'};
        assertThatThrownBy(() -> Names.forEncoding(StandardCharsets.UTF_8).decode(COMMIT, "d/", raw, 0, raw.length))
                .isInstanceOf(UnsafePath.class).hasMessageContaining("d/x\\xc3(\\x0a").hasMessageContaining(COMMIT);
    }
}

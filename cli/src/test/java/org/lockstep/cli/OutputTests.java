package org.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class OutputTests {

    private final StringWriter out = new StringWriter();

    private final StringWriter err = new StringWriter();

    @Test
    void theTokenIsMaskedInEveryKindOfLine() {
        Output output = output(false, false, true);
        output.secret("tok-123");
        output.line("reason: deploy tok-123");
        output.problem("refused: tok-123");
        output.verbose("header tok-123");
        assertThat(out.toString() + err.toString()).doesNotContain("tok-123").contains("reason: deploy ********",
                "refused: ********", "lockstep: header ********");

        Output json = output(true, false, false);
        json.secret("tok-123");
        json.event("target-set", Map.of("reason", "tok-123"));
        assertThat(out.toString()).doesNotContain("tok-123")
                .contains("{\"event\":\"target-set\",\"reason\":\"********\"}");
    }

    @Test
    void onATerminalTheProgressLineIsOverwrittenByTheNextLine() {
        Output output = output(false, true, false);
        output.progress("1/4 prepared");
        output.progress("2/4 prepared");
        output.line("web-3 prepared (3/4)");
        assertThat(out.toString()).isEqualTo("\r\u001b[K1/4 prepared\r\u001b[K2/4 prepared\r\u001b[K"
                + "web-3 prepared (3/4)" + System.lineSeparator());
    }

    @Test
    void withoutATerminalOrWithJsonThereIsNoProgressLine() {
        output(false, false, false).progress("1/4 prepared");
        output(true, true, false).progress("1/4 prepared");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void withJsonStdoutHoldsOnlyJsonLines() {
        Output output = output(true, false, false);
        output.line("for people");
        output.event("prepared", Map.of("host", "web-1"));
        output.problem("lockstep: failed");
        assertThat(out.toString()).isEqualTo("{\"event\":\"prepared\",\"host\":\"web-1\"}" + System.lineSeparator());
        assertThat(err.toString()).contains("lockstep: failed");
    }

    private Output output(boolean json, boolean terminal, boolean verbose) {
        return new Output(new PrintWriter(out), new PrintWriter(err), JsonMapper.builder().build(), json, terminal,
                verbose);
    }
}

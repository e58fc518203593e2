package org.lockstep.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTests {

    @ParameterizedTest
    @ValueSource(strings = {"primary", "a", "schema-repo-2",
            "a23456789012345678901234567890123456789012345678901234567890123"})
    void acceptsRepositoryNames(String name) {
        assertThat(RepoName.of(name).value()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Primary", "1repo", "-x", "../etc", "a/b", "a.b", "repo ",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void refusesRepositoryNamesThatCouldEscapeAPath(String name) {
        assertThatThrownBy(() -> RepoName.of(name)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("repository name");
    }

    @Test
    void acceptsFullShaOneAndShaTwoFiftySixIds() {
        assertThat(CommitId.isValid("0123456789abcdef0123456789abcdef01234567")).isTrue();
        assertThat(CommitId.isValid("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0123456", "main", "HEAD", "0123456789ABCDEF0123456789ABCDEF01234567",
            "0123456789abcdef0123456789abcdef0123456", "0123456789abcdef0123456789abcdef012345678"})
    void refusesAbbreviationsRefNamesAndUpperCase(String commit) {
        assertThatThrownBy(() -> CommitId.of(commit)).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("commit"));
    }

    @Test
    void errorMessagesQuoteInputSafely() {
        assertThatThrownBy(() -> HostName.of("bad\nhost" + "x".repeat(200)))
                .hasMessageContaining("\\u000a").hasMessageContaining("...");
    }

    @ParameterizedTest
    @ValueSource(strings = {"schema1003", "schema1003.eqiad.wmnet", "h-1"})
    void acceptsHostNames(String host) {
        assertThat(HostName.isValid(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".hidden", "a..b", "UPPER", "a/b", "a b"})
    void refusesHostNames(String host) {
        assertThat(HostName.isValid(host)).isFalse();
    }
}

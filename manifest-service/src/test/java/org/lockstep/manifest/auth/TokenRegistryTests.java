package org.lockstep.manifest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.ManifestProperties.Role;
import org.lockstep.manifest.ManifestProperties.Token;
import org.lockstep.testing.manifest.Tokens;
import org.springframework.util.unit.DataSize;

class TokenRegistryTests {

    private final TokenRegistry registry = new TokenRegistry(properties(List.of(
            new Token("ci-pipeline", Tokens.sha256("ci"), Role.ci, List.of("primary"), null),
            new Token("alice", Tokens.sha256("op").toUpperCase(Locale.ROOT), Role.operator, List.of(), null),
            new Token("agent-h1", Tokens.sha256("h1"), Role.agent, List.of(), "h1"))));

    @Test
    void findsTheTokenWhoseHashMatches() {
        assertThat(registry.authenticate("ci")).contains(new Caller("ci-pipeline", Role.ci, List.of("primary"), null));
        assertThat(registry.authenticate("h1")).contains(new Caller("agent-h1", Role.agent, List.of(), "h1"));
    }

    @Test
    void upperCaseHashesMatchToo() {
        assertThat(registry.authenticate("op")).map(Caller::name).contains("alice");
    }

    @Test
    void unknownSecretOrHashItselfIsNobody() {
        assertThat(registry.authenticate("nobody")).isEmpty();
        assertThat(registry.authenticate(Tokens.sha256("ci"))).isEmpty();
        assertThat(registry.authenticate("")).isEmpty();
    }

    @Test
    void rolesAllowWhatTheySay() {
        Caller ci = new Caller("ci", Role.ci, List.of("primary"), null);
        Caller operator = new Caller("op", Role.operator, List.of(), null);
        Caller agent = new Caller("a", Role.agent, List.of("primary"), "h1");

        assertThat(ci.maySetTarget("primary")).isTrue();
        assertThat(ci.maySetTarget("secondary")).isFalse();
        assertThat(ci.isOperator()).isFalse();
        assertThat(ci.mayActAs("h1")).isFalse();
        assertThat(operator.maySetTarget("anything")).isTrue();
        assertThat(operator.mayActAs("h1")).isFalse();
        assertThat(agent.maySetTarget("primary")).isFalse();
        assertThat(agent.mayActAs("h1")).isTrue();
        assertThat(agent.mayActAs("h2")).isFalse();
    }

    @Test
    void webhookSecretsMatchTheirHash() {
        assertThat(TokenRegistry.matches("s3cret", Tokens.sha256("s3cret"))).isTrue();
        assertThat(TokenRegistry.matches("s3cret", Tokens.sha256("other"))).isFalse();
        assertThat(TokenRegistry.matches(null, Tokens.sha256("s3cret"))).isFalse();
        assertThat(TokenRegistry.matches("s3cret", null)).isFalse();
    }

    private static ManifestProperties properties(List<Token> tokens) {
        return new ManifestProperties(ManifestProperties.StoreKind.embedded, Path.of("/nonexistent"),
                new ManifestProperties.Etcd(List.of(), "/lockstep/", Duration.ofSeconds(5),
                        new ManifestProperties.Tls(null, null, null, null), null, null), Map.of(), tokens,
                new ManifestProperties.Hooks(new ManifestProperties.Hook(null), new ManifestProperties.Hook(null)),
                Duration.ofSeconds(30), Duration.ofSeconds(60), DataSize.ofKilobytes(64));
    }
}

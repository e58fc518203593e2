package org.lockstep.manifest.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstep.testing.manifest.Problem.assertProblem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.lockstep.manifest.testing.SharedManifest;
import org.lockstep.testing.manifest.ManifestApi.Response;
import org.lockstep.testing.manifest.Tokens;

/**
 * {@code PUT .../target} for a commit the manifest's mirror already has on the branch does not fetch: it succeeds
 * with the remote gone. A commit the mirror does not know is still fetched for, and refused when it cannot be.
 */
class KnownCommitOverHttpIntegrationTests extends SharedManifest {

    private static final String REPO = "known";

    @Test
    void aCommitTheMirrorHasOnTheBranchIsTargetedWithoutFetching() throws IOException {
        String older = upstream(REPO).commit("1.0.0");
        String newer = upstream(REPO).commit("1.1.0");
        Response first = setTarget(REPO, newer, Tokens.OPERATOR);
        assertThat(first.status()).as("%s", first).isEqualTo(202);

        Path remote = upstream(REPO).dir();
        Path away = remote.resolveSibling(REPO + "-unreachable");
        Files.move(remote, away);
        try {
            Response again = setTarget(REPO, newer, Tokens.OPERATOR);
            assertThat(again.status()).as("%s", again).isEqualTo(202);
            assertThat(again.json().path("id").asLong()).as("the same rollout").isEqualTo(
                    first.json().path("id").asLong());

            Response back = setTarget(REPO, older, Tokens.OPERATOR);
            assertThat(back.status()).as("an older commit of the branch, also known: %s", back).isEqualTo(202);
            assertThat(back.json().path("commit").asString()).isEqualTo(older);

            Response unknown = setTarget(REPO, "0123456789abcdef0123456789abcdef01234567", Tokens.OPERATOR);
            assertProblem(unknown, 502, "remote-unreachable");
        }
        finally {
            Files.move(away, remote);
        }
    }
}

package org.lockstep.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.protocol.DesiredState;
import org.lockstep.protocol.DesiredState.RepoDesired;

class AgentStateTests {

    static final String A = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;

    @Test
    void anOlderRevisionOfTheSameStoreIsRefused() {
        AgentState acted = new AgentState("store-1", 10, Map.of());
        assertThat(acted.judge(new DesiredState("store-1", 9, List.of()))).isEqualTo(AgentState.Verdict.STALE);
        assertThat(acted.judge(new DesiredState("store-1", 10, List.of()))).isEqualTo(AgentState.Verdict.ACCEPT);
        assertThat(acted.judge(new DesiredState("store-1", 11, List.of()))).isEqualTo(AgentState.Verdict.ACCEPT);
    }

    @Test
    void aRebuiltManifestIsFollowedWhateverItsRevision() {
        AgentState acted = new AgentState("store-1", 10, Map.of());
        assertThat(acted.judge(new DesiredState("store-2", 1, List.of()))).isEqualTo(AgentState.Verdict.NEW_STORE);
        assertThat(AgentState.NONE.judge(new DesiredState("store-1", 0, List.of())))
                .isEqualTo(AgentState.Verdict.NEW_STORE);
    }

    @Test
    void theStateSurvivesARestartAndIsReplacedAtomically() throws Exception {
        AgentStateFile file = new AgentStateFile(tmp);
        assertThat(file.state()).isEqualTo(AgentState.NONE);
        file.write(AgentState.of(new DesiredState("store-1", 12, List.of(
                new RepoDesired("primary", "u", "main", A, null, null),
                new RepoDesired("secondary", "u", "main", null, A, 3L)))));
        AgentState read = new AgentStateFile(tmp).state();
        assertThat(read.storeId()).isEqualTo("store-1");
        assertThat(read.revision()).isEqualTo(12);
        assertThat(read.active()).containsEntry("primary", A).containsEntry("secondary", "");
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("agent-state.properties");
        }
    }
}

package org.lockstep.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("agent-state");
        }
    }

    @Test
    void eachWriteGoesInPlaceToTheOtherSlotWithoutChangingTheFile() throws Exception {
        AgentStateFile file = new AgentStateFile(tmp);
        file.write(new AgentState("store-1", 1, Map.of("primary", A)));
        Path written = tmp.resolve("agent-state");
        Object inode = Files.getAttribute(written, "unix:ino");
        long size = Files.size(written);
        file.write(new AgentState("store-1", 2, Map.of("primary", A)));
        file.write(new AgentState("store-1", 3, Map.of("primary", A)));
        assertThat(Files.getAttribute(written, "unix:ino")).as("no new file, no rename").isEqualTo(inode);
        assertThat(Files.size(written)).isEqualTo(size).isEqualTo(2L * AgentStateFile.SLOT);
        String text = new String(Files.readAllBytes(written), StandardCharsets.ISO_8859_1);
        assertThat(text).contains("revision=3").contains("revision=2").doesNotContain("revision=1\n");
        assertThat(new AgentStateFile(tmp).state().revision()).isEqualTo(3);
    }

    @Test
    void aTornWriteLeavesThePreviousState() throws Exception {
        AgentStateFile file = new AgentStateFile(tmp);
        file.write(new AgentState("store-1", 41, Map.of("primary", A)));
        file.write(new AgentState("store-1", 42, Map.of("primary", A)));
        // The newest slot (generation 2 is slot 0) half overwritten, as a power cut in the middle of a write could.
        try (FileChannel channel = FileChannel.open(tmp.resolve("agent-state"), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap("generation=99\nrevision=7".getBytes()), 60);
        }
        AgentState read = new AgentStateFile(tmp).state();
        assertThat(read.revision()).isEqualTo(41);
        assertThat(read.storeId()).isEqualTo("store-1");
    }

    @Test
    void theStateOfAnAgentBeforeTheSlotsIsReadAndReplaced() throws Exception {
        Files.writeString(tmp.resolve("agent-state.properties"), "store-id=store-1\nrevision=17\nactive.primary="
                + A + "\n");
        AgentStateFile file = new AgentStateFile(tmp);
        assertThat(file.state()).isEqualTo(new AgentState("store-1", 17, Map.of("primary", A)));
        file.write(new AgentState("store-1", 18, Map.of("primary", A)));
        assertThat(tmp.resolve("agent-state.properties")).doesNotExist();
        assertThat(new AgentStateFile(tmp).state().revision()).isEqualTo(18);
    }

    @Test
    void aFileWithNoValidSlotStopsTheAgentInsteadOfForgettingTheGuard() throws Exception {
        Files.write(tmp.resolve("agent-state"), "garbage that is not a state".getBytes());
        assertThatThrownBy(() -> new AgentStateFile(tmp))
                .hasMessageContaining("no valid state");
    }
}

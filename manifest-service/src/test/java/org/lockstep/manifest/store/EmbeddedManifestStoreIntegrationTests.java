package org.lockstep.manifest.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.manifest.rollout.machine.Command;
import org.lockstep.manifest.rollout.machine.RepoState;
import org.lockstep.manifest.store.embedded.EmbeddedManifestStore;

/**
 * The embedded store on a real file in a temporary directory: the {@link ManifestStoreContractTests contract}, plus
 * what only the embedded store does (one file per data directory, listeners called in the writing thread).
 */
class EmbeddedManifestStoreIntegrationTests extends ManifestStoreContractTests {

    @TempDir
    Path dataDir;

    @TempDir
    Path otherDir;

    private final List<EmbeddedManifestStore> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(EmbeddedManifestStore::close);
    }

    @Override
    protected ManifestStore open() {
        return open(dataDir);
    }

    @Override
    protected ManifestStore reopen(ManifestStore old) {
        EmbeddedManifestStore embedded = (EmbeddedManifestStore) old;
        opened.remove(embedded);
        embedded.close();
        return open();
    }

    @Override
    protected ManifestStore openFresh() {
        return open(otherDir);
    }

    /** The store file's bytes, as a digest. */
    @Override
    protected Object durableState() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(dataDir.resolve("manifest.mv.db"))));
        }
        catch (IOException | NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private EmbeddedManifestStore open(Path dir) {
        EmbeddedManifestStore embedded = new EmbeddedManifestStore(dir);
        opened.add(embedded);
        return embedded;
    }

    @Test
    void newStoreIsOneFileInItsDataDirectory() {
        ManifestStore fresh = openFresh();

        assertThat(fresh.revision()).isZero();
        assertThat(Files.exists(otherDir.resolve("manifest.mv.db"))).isTrue();
    }

    @Test
    void listenersHearEachNewRevisionInTheWritingThreadAndSeeWhatTheyHear() {
        store = open();
        List<Long> heard = new ArrayList<>();
        List<String> seenTargets = new ArrayList<>();
        Thread writer = Thread.currentThread();
        store.changes().subscribe(change -> {
            if (!change.newRevision()) {
                return;
            }
            long revision = change.revision();
            heard.add(revision);
            assertThat(Thread.currentThread()).isSameAs(writer);
            assertThat(store.revision()).isEqualTo(revision);
            seenTargets.add(store.repo("primary").flatMap(RepoState::target).orElse(null));
        });

        apply("primary", target(commit(1)));
        assertThat(heard).as("the hosts set, then the target").containsExactly(1L, 2L);
        apply("primary", preparing("h1", commit(1)));
        apply("primary", new Command.Pause("alice", null));
        apply("primary", target(commit(2)));

        assertThat(heard).containsExactly(1L, 2L, 3L);
        assertThat(seenTargets).containsExactly(null, commit(1), commit(2));
    }
}

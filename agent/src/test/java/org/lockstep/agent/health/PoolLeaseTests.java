package org.lockstep.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lease's files, as the web server's check tests them. */
class PoolLeaseTests {

    /** Epoch second 1795697223 (window 179569722); 13:47:03 in Berlin (CET). */
    static final Instant NOW = Instant.parse("2026-11-26T12:47:03.250Z");

    @TempDir
    Path base;

    PoolLease lease;

    @Test
    void holdingMakesOneFilePerWindowUntilTheLeaseRunsOutInBothNamings() throws Exception {
        lease = new PoolLease(base, Duration.ofSeconds(30), ZoneId.of("Europe/Berlin"));
        lease.hold(NOW);
        long window = NOW.getEpochSecond() / 10;
        assertThat(window).isEqualTo(179569722L);
        assertThat(tokens()).containsExactlyInAnyOrder("e" + window, "e" + (window + 1), "e" + (window + 2),
                "e" + (window + 3), "l2026112613470", "l2026112613471", "l2026112613472", "l2026112613473");
        assertThat(Files.size(lease.dir().resolve("e" + window))).isZero();
    }

    @Test
    void renewingLaterDropsTheWindowsThatPassed() throws Exception {
        lease = new PoolLease(base, Duration.ofSeconds(30), ZoneId.of("UTC"));
        lease.hold(NOW);
        lease.hold(NOW.plusSeconds(25));
        long window = NOW.plusSeconds(25).getEpochSecond() / 10;
        assertThat(tokens()).hasSize(8).contains("e" + window, "e" + (window + 3), "l2026112612472")
                .doesNotContain("e" + (window - 1), "l2026112612470");
    }

    @Test
    void droppingRemovesEveryWindowAndKeepsTheStatus() throws Exception {
        lease = new PoolLease(base, Duration.ofMinutes(5), ZoneId.of("UTC"));
        lease.describe("in the pool: every repository serves its active commit");
        lease.hold(NOW);
        assertThat(tokens()).hasSize(62);
        Files.createFile(lease.dir().resolve("notes.txt"));
        lease.drop();
        assertThat(tokens()).isEmpty();
        assertThat(lease.dir().resolve("notes.txt")).as("only the lease's own files go").exists();
        assertThat(lease.dir().resolve(PoolLease.STATUS)).exists();
    }

    @Test
    void theWebServerCanReadEverythingWhateverTheUmask() throws Exception {
        lease = new PoolLease(base, Duration.ofSeconds(10), ZoneId.of("UTC"));
        lease.describe("in the pool");
        lease.hold(NOW);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lease.dir()))).isEqualTo("rwxr-xr-x");
        try (Stream<Path> files = Files.list(lease.dir())) {
            for (Path file : files.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                        .isEqualTo("rw-r--r--");
            }
        }
    }

    @Test
    void theStatusSaysWhyAndIsRewrittenOnlyWhenThatChanges() throws Exception {
        lease = new PoolLease(base, Duration.ofSeconds(10), ZoneId.of("UTC"));
        Path status = lease.dir().resolve(PoolLease.STATUS);
        lease.describe("out of the pool: primary serves nothing");
        assertThat(Files.readString(status)).isEqualTo("out of the pool: primary serves nothing\n");
        Files.setLastModifiedTime(status, java.nio.file.attribute.FileTime.from(NOW.minusSeconds(3600)));
        lease.describe("out of the pool: primary serves nothing");
        assertThat(Files.getLastModifiedTime(status).toInstant()).isEqualTo(NOW.minusSeconds(3600));
        lease.describe("in the pool: every repository serves its active commit");
        assertThat(Files.readString(status)).startsWith("in the pool");
        assertThat(lease.dir().resolve(PoolLease.STATUS + ".tmp")).doesNotExist();
    }

    private List<String> tokens() throws Exception {
        try (Stream<Path> files = Files.list(lease.dir())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("[el][0-9]+")).toList();
        }
    }
}

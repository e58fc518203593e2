package org.lockstep.agent.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

import org.lockstep.agent.config.AgentProperties;

/**
 * The host's lease on the load balancer's pool, as files a web server can test without asking the agent (so a
 * slow or dead agent is never asked): {@code <base-dir>/.lb-check/} holds one empty file per 10-second window from
 * now until {@code pool-lease} from now, and the web server's check answers 200 while the file of the current window
 * exists. Renewing adds the window that comes into reach and removes the ones that passed; dropping removes them all
 * (503 at once). An agent that stops renewing (dead, hung) leaves the host in the pool until its last window has
 * passed, between {@code pool-lease} and {@code pool-lease} + 10 s later: long enough for a restart, not forever.
 * <p>
 * Two names per window, because web servers tell the time differently: {@code e<epoch seconds / 10>} for nginx
 * ({@code $msec}), {@code l<yyyyMMddHHmm and the tens of seconds>} in the agent's local time zone for Apache httpd
 * ({@code %{TIME}} is local time, and httpd has no epoch variable). {@code status} says why, in words.
 */
public final class PoolLease {

    public static final String DIR = ".lb-check";

    static final String STATUS = "status";

    private static final Pattern TOKEN = Pattern.compile("e[0-9]+|l[0-9]{13}");

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path dir;

    private final Duration lease;

    private final ZoneId zone;

    private String described;

    public PoolLease(Path baseDir, Duration lease, ZoneId zone) {
        this.dir = baseDir.resolve(DIR);
        this.lease = lease;
        this.zone = zone;
    }

    /** Holds the lease from {@code now} until {@code pool-lease} later. */
    public void hold(Instant now) throws IOException {
        Set<String> wanted = names(now);
        createDirectory();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (TOKEN.matcher(name).matches() && !wanted.contains(name)) {
                    Files.deleteIfExists(entry);
                }
            }
        }
        for (String name : wanted) {
            Path token = dir.resolve(name);
            if (!Files.exists(token)) {
                Files.createFile(token, PosixFilePermissions.asFileAttribute(READABLE));
                Files.setPosixFilePermissions(token, READABLE);
            }
        }
    }

    /** Gives the lease up: the check answers 503 from now on. */
    public void drop() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (TOKEN.matcher(entry.getFileName().toString()).matches()) {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }

    /** Writes {@code status} (atomically, only when it changes): the verdict in words, for whoever looks. */
    public void describe(String text) throws IOException {
        if (text.equals(described)) {
            return;
        }
        createDirectory();
        Path temp = dir.resolve(STATUS + ".tmp");
        Files.writeString(temp, text + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(temp, READABLE);
        Files.move(temp, dir.resolve(STATUS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        described = text;
    }

    /** The token names of every window from {@code now}'s to the one {@code pool-lease} later. */
    Set<String> names(Instant now) {
        long window = AgentProperties.LEASE_WINDOW.toSeconds();
        Set<String> names = new LinkedHashSet<>();
        for (long w = now.getEpochSecond() / window; w <= now.plus(lease).getEpochSecond() / window; w++) {
            names.add("e" + w);
            names.add("l" + LOCAL.format(Instant.ofEpochSecond(w * window).atZone(zone)).substring(0, 13));
        }
        return names;
    }

    Path dir() {
        return dir;
    }

    private void createDirectory() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            // The web server's workers test files here: world-readable whatever the umask.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}

package org.lockstep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * The one way tests keep the machine's git configuration out: JGit in this JVM reads no system, user, XDG or JGit
 * configuration ({@link #install()}), and every child process (the git CLI, {@code git daemon}, the packaged jars
 * with their own JGit) gets {@link #environment()} and, for a JVM, {@link #jvmFlags()}: no system config, no global
 * config, and a home directory of its own that is empty. Tests see only the configuration they write themselves.
 */
public final class IsolatedGit {

    /** Who commits in tests, for the CLI and JGit alike. */
    public static final String NAME = "Lockstep Test";

    public static final String EMAIL = "test@lockstep.invalid";

    private static Path home;

    private static boolean installed;

    private IsolatedGit() {
    }

    /** Isolates JGit in this JVM (the code under test's JGit included). Idempotent. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        SystemReader.setInstance(new SystemReader.Delegate(SystemReader.getInstance()) {

            @Override
            public FileBasedConfig openUserConfig(Config parent, FS fs) {
                return empty(parent, fs);
            }

            @Override
            public FileBasedConfig openSystemConfig(Config parent, FS fs) {
                return empty(parent, fs);
            }

            @Override
            public FileBasedConfig openJGitConfig(Config parent, FS fs) {
                return empty(parent, fs);
            }
        });
        FS.DETECTED.setUserHome(home().toFile());
        installed = true;
    }

    /** The environment of a child process that may run git or JGit; {@link Processes} puts it in every one. */
    public static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("HOME", home().toString());
        env.put("XDG_CONFIG_HOME", home().resolve(".config").toString());
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_AUTHOR_NAME", NAME);
        env.put("GIT_AUTHOR_EMAIL", EMAIL);
        env.put("GIT_COMMITTER_NAME", NAME);
        env.put("GIT_COMMITTER_EMAIL", EMAIL);
        return env;
    }

    /** For a child JVM: JGit reads {@code ~/.gitconfig} from {@code user.home}, not from {@code $HOME}. */
    public static List<String> jvmFlags() {
        return List.of("-Duser.home=" + home());
    }

    /** An empty directory made once per JVM (and removed at exit) that serves as every child's home. */
    public static synchronized Path home() {
        if (home == null) {
            try {
                home = Files.createTempDirectory("lockstep-git-home-");
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            Path made = home;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Dirs.deleteQuietly(made)));
        }
        return home;
    }

    private static FileBasedConfig empty(Config parent, FS fs) {
        return new FileBasedConfig(parent, null, fs) {

            @Override
            public void load() {
                // nothing on disk to read
            }

            @Override
            public void save() {
                // nothing on disk to write
            }

            @Override
            public boolean isOutdated() {
                return false;
            }
        };
    }
}

package org.lockstep.manifest.testing;

import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Keeps the machine's git configuration (system, user, XDG, JGit) out of every JGit call in the test JVM, the
 * manifest's own mirror included: tests see only the configuration they write themselves.
 */
public final class IsolatedGit {

    private static boolean installed;

    private IsolatedGit() {
    }

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
        installed = true;
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

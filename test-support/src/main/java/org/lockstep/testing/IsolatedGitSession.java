package org.lockstep.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs {@link IsolatedGit} before the first test of a run, in every module with this toolkit on its test class
 * path (registered in {@code META-INF/services}), so even a test that never builds a repository runs the code under
 * test's JGit without the machine's git configuration.
 */
public final class IsolatedGitSession implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        IsolatedGit.install();
    }
}

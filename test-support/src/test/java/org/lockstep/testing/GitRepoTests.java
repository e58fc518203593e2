package org.lockstep.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.SystemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitRepoTests {

    @TempDir
    Path tmp;

    @Test
    void commitsFilesExecutablesSymlinksAndDeletionsAsGitArchiveShowsThem() {
        GitRepo repo = GitRepo.init(tmp.resolve("repo"));
        repo.write("a/one.json", "{}\n").executable("bin/run.sh", "#!/bin/sh\n").symlink("a/latest", "one.json")
                .write("gone.txt", "x").commit("first");
        String second = repo.delete("gone.txt").commit("second");

        assertThat(repo.git("ls-tree", "-r", second)).contains("100644 blob").contains("a/one.json")
                .contains("100755 blob").contains("bin/run.sh").contains("120000 blob").contains("a/latest")
                .doesNotContain("gone.txt");
        assertThat(Trees.describe(repo.archive(second, tmp.resolve("archive")))).containsEntry("a/latest",
                "link -> one.json").containsKeys("a/one.json", "bin/run.sh").doesNotContainKey("gone.txt");
        assertThat(Trees.describe(tmp.resolve("archive")).get("bin/run.sh")).startsWith("exec ");
    }

    @Test
    void branchesMergesAndSideCommitsStayOffTheBranch() {
        GitRepo repo = GitRepo.init(tmp.resolve("repo"));
        String base = repo.write("f", "1").commit("base");
        String side = repo.write("g", "2").commitOn("feature", "side");
        assertThat(repo.head()).isEqualTo(base);
        String merge = repo.merge("feature", "merge feature");

        assertThat(repo.git("rev-list", "--parents", "-n", "1", merge).trim().split(" ")).containsExactly(merge, base,
                side);
        assertThat(repo.resolve("feature")).isEqualTo(side);
        assertThat(repo.git("log", "--format=%an <%ae>", "-n", "1"))
                .contains(IsolatedGit.NAME + " <" + IsolatedGit.EMAIL);
    }

    @Test
    void craftedTreesKeepWhatThePorcelainRefuses() throws Exception {
        GitRepo repo = GitRepo.initBare(tmp.resolve("hostile.git"));
        String commit = repo.commitTree("hostile", tree -> tree.file("README.md", "one").file("README.md", "two")
                .tree(".git", git -> git.file("config", "[core]\n")).symlink("up", "../..")
                .gitlink("vendor", "0123456789abcdef0123456789abcdef01234567"));

        assertThat(repo.resolve("main")).isEqualTo(commit);
        List<String> entries = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo.repository()); TreeWalk tree = new TreeWalk(repo.repository())) {
            tree.addTree(walk.parseCommit(repo.repository().resolve(commit)).getTree());
            while (tree.next()) {
                entries.add(tree.getNameString() + " " + tree.getFileMode(0));
            }
        }
        assertThat(entries).containsExactly("README.md " + FileMode.REGULAR_FILE, "README.md " + FileMode.REGULAR_FILE,
                ".git " + FileMode.TREE, "up " + FileMode.SYMLINK, "vendor " + FileMode.GITLINK);
    }

    @Test
    void aGitlinkIsCommittedAsASubmoduleEntry() {
        GitRepo repo = GitRepo.init(tmp.resolve("repo"));
        String commit = repo.write("a", "1").gitlink("vendor/lib", "0123456789abcdef0123456789abcdef01234567")
                .commit("with submodule");
        assertThat(repo.git("ls-tree", "-r", commit)).contains("160000 commit 0123456789abcdef0123456789abcdef01234567"
                + "\tvendor/lib");
    }

    @Test
    void pushedAndClonedBareRepositoriesHoldTheBranches() {
        GitRepo work = GitRepo.init(tmp.resolve("work"));
        GitRepo bare = GitRepo.initBare(tmp.resolve("served.git"));
        String first = work.write("a", "1").commit("first");
        String side = work.write("b", "2").commitOn("feature", "side");
        work.push(bare);
        GitRepo clone = bare.cloneBare(tmp.resolve("clone.git"));

        assertThat(bare.resolve("main")).isEqualTo(first);
        assertThat(clone.resolve("feature")).isEqualTo(side);
        assertThat(clone.repository().isBare()).isTrue();
    }

    @Test
    void neitherJGitNorTheGitCliReadTheMachinesConfiguration() throws Exception {
        assertThat(SystemReader.getInstance().getUserConfig().toText()).isEmpty();
        assertThat(SystemReader.getInstance().getSystemConfig().toText()).isEmpty();
        assertThat(Processes.run(tmp, "git", "config", "--list", "--show-origin")).isEmpty();
        assertThat(Processes.run(tmp, "sh", "-c", "echo $HOME")).contains(IsolatedGit.home().toString());
    }
}

package org.lockstep.manifest.page;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.lockstep.manifest.ManifestProperties;
import org.lockstep.manifest.git.BranchMirror.CommitInfo;
import org.lockstep.manifest.git.GitMirrors;
import org.lockstep.manifest.page.RepoPanel.CommitText;
import org.springframework.stereotype.Component;

/**
 * Subject, author and link of commits, from the manifest's own mirrors. A commit never changes, so a description is
 * kept once found: the page is re-rendered every few seconds and should not wait on a mirror that is busy fetching.
 */
@Component
class CommitDescriptions {

    static final int SHORT = 8;

    private static final int CACHED = 2000;

    private final GitMirrors mirrors;

    private final ManifestProperties properties;

    private final Map<String, CommitInfo> known = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CommitInfo> eldest) {
                    return size() > CACHED;
                }
            });

    CommitDescriptions(GitMirrors mirrors, ManifestProperties properties) {
        this.mirrors = mirrors;
        this.properties = properties;
    }

    /** The commit in words; null for null. */
    CommitText describe(String repo, String commit, Instant now) {
        if (commit == null) {
            return null;
        }
        Optional<CommitInfo> info = info(repo, commit);
        return new CommitText(commit, shortId(commit), info.map(CommitInfo::subject).orElse(null),
                info.map(CommitInfo::author).orElse(null),
                info.map(i -> Times.at(i.time(), now)).orElse(null), url(repo, commit));
    }

    static String shortId(String commit) {
        return commit == null ? null : commit.substring(0, Math.min(SHORT, commit.length()));
    }

    private Optional<CommitInfo> info(String repo, String commit) {
        String key = repo + ":" + commit;
        CommitInfo hit = known.get(key);
        if (hit != null) {
            return Optional.of(hit);
        }
        // Not cached when missing: the mirror may fetch it later.
        Optional<CommitInfo> found = mirrors.mirror(repo).describe(commit);
        found.ifPresent(i -> known.put(key, i));
        return found;
    }

    /** The configured {@code commit-url-template} with {@code {commit}} replaced; only http(s) links are made. */
    private String url(String repo, String commit) {
        ManifestProperties.Repo config = properties.repos().get(repo);
        String template = config == null ? null : config.commitUrlTemplate();
        if (template == null || template.isBlank()
                || !(template.startsWith("https://") || template.startsWith("http://"))) {
            return null;
        }
        return template.replace("{commit}", commit);
    }
}

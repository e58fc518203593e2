package org.lockstep.manifest.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.lockstep.manifest.ManifestProperties;
import org.springframework.stereotype.Component;

/**
 * One {@link BranchMirror} per configured repository under {@code <data-dir>/mirrors/<repo>.git}. Only names from
 * the configuration ever become paths: callers look repositories up in the configuration first.
 */
@Component
public class GitMirrors implements AutoCloseable {

    private final ManifestProperties properties;

    private final Map<String, BranchMirror> mirrors = new ConcurrentHashMap<>();

    public GitMirrors(ManifestProperties properties) {
        this.properties = properties;
    }

    /** The mirror of a configured repository; {@link IllegalArgumentException} for any other name. */
    public BranchMirror mirror(String repo) {
        ManifestProperties.Repo config = properties.repos().get(repo);
        if (config == null) {
            throw new IllegalArgumentException("not a configured repository: " + repo);
        }
        return mirrors.computeIfAbsent(repo, name -> {
            try {
                return new BranchMirror(properties.dataDir().resolve("mirrors").resolve(name + ".git"), config.url(),
                        config.branch(), properties.gitTimeout());
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
    }

    @Override
    public void close() {
        mirrors.values().forEach(BranchMirror::close);
    }
}

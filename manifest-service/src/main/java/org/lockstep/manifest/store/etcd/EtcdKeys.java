package org.lockstep.manifest.store.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;

/**
 * Where the store keeps what under its prefix (docs/ha.md has the whole layout). Every key is readable with
 * {@code etcdctl get --prefix}: {@code repos/<repo>} the summary, {@code hosts/<repo>/<host>} one entry per host,
 * {@code expected/<repo>} the expected hosts, {@code rollouts/<repo>/<id>} the history, {@code meta/} the store id and
 * the revision. A repository's hosts and rollouts share a prefix with its trailing slash (so {@code a} never matches
 * {@code a-b}); rollouts sort by id because ids are zero-padded.
 */
final class EtcdKeys {

    private final String prefix;

    EtcdKeys(String prefix) {
        this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
    }

    ByteSequence storeId() {
        return bytes(prefix + "meta/store-id");
    }

    ByteSequence revision() {
        return bytes(prefix + "meta/revision");
    }

    ByteSequence repo(String name) {
        return bytes(prefix + "repos/" + name);
    }

    /** One host's entry for one repository: written by that host's reports only. */
    ByteSequence host(String repo, String host) {
        return bytes(prefix + "hosts/" + repo + "/" + host);
    }

    /** The prefix of every host entry of {@code repo} (with its slash, so {@code a} never matches {@code a-b}). */
    ByteSequence hosts(String repo) {
        return bytes(prefix + "hosts/" + repo + "/");
    }

    ByteSequence expected(String repo) {
        return bytes(prefix + "expected/" + repo);
    }

    ByteSequence rollouts(String repo) {
        return bytes(prefix + "rollouts/" + repo + "/");
    }

    ByteSequence rollout(String repo, long id) {
        return bytes(String.format("%srollouts/%s/%019d", prefix, repo, id));
    }

    /** Rollout id -> repository name, so a rollout can be found by id alone. */
    ByteSequence rolloutRepo(long id) {
        return bytes(prefix + "rollout-repo/" + id);
    }

    static ByteSequence bytes(String text) {
        return ByteSequence.from(text, UTF_8);
    }

    static String text(ByteSequence bytes) {
        return bytes.toString(UTF_8);
    }
}

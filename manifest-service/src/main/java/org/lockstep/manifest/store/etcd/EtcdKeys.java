package org.lockstep.manifest.store.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;

/**
 * Where the store keeps what under its prefix. Every key is readable with {@code etcdctl get --prefix}, and a
 * repository's rollouts share the prefix {@code rollouts/<repo>/} (trailing slash included, so {@code a} never
 * matches {@code a-b}) and sort by id because ids are zero-padded.
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

package org.lockstep.testing.etcd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A cluster of real etcd members over TLS on loopback (see {@link EtcdProcess}), started together: members
 * {@code etcd1}, {@code etcd2}, ... Kill and restart members to take the majority away and give it back; ask
 * {@link EtcdAdmin#leader} which one leads. Closing stops every member.
 */
public final class EtcdMembers implements AutoCloseable {

    private final List<EtcdProcess> members;

    private EtcdMembers(List<EtcdProcess> members) {
        this.members = List.copyOf(members);
    }

    /** Starts {@code size} members with data and logs under {@code dir}; returns once every one is healthy. */
    public static EtcdMembers start(Path dir, int size, EtcdTls tls) {
        List<EtcdProcess> members = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            members.add(new EtcdProcess(dir, "etcd" + i, tls));
        }
        String cluster = members.stream().map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
        EtcdMembers started = new EtcdMembers(members);
        try {
            for (EtcdProcess member : members) {
                member.initialCluster(cluster);
                member.launch();
            }
            members.forEach(EtcdProcess::awaitHealthy);
        }
        catch (RuntimeException | AssertionError ex) {
            started.close();
            throw ex;
        }
        return started;
    }

    public List<EtcdProcess> members() {
        return members;
    }

    /** Every member's client URL, as the manifest's {@code etcd.endpoints} lists them. */
    public List<String> endpoints() {
        return members.stream().map(EtcdProcess::endpoint).toList();
    }

    public EtcdProcess member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no member " + name));
    }

    @Override
    public void close() {
        members.forEach(EtcdProcess::close);
    }
}

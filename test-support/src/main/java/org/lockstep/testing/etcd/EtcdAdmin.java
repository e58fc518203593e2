package org.lockstep.testing.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.auth.Permission;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.options.GetOption;
import io.grpc.netty.GrpcSslContexts;

/**
 * What an etcd operator does with {@code etcdctl}, for tests: users, roles and their permissions, turning
 * authentication on, reading what a prefix holds, finding the leader. It connects with the client certificate
 * {@code root} (etcd takes the common name as the user once authentication is on), so it keeps working after
 * {@link #enableAuth}.
 */
public final class EtcdAdmin implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final Client client;

    private EtcdAdmin(Client client) {
        this.client = client;
    }

    /** Connects to {@code endpoints} (over TLS as {@code root} when {@code tls} is given). */
    public static EtcdAdmin connect(List<String> endpoints, EtcdTls tls) {
        ClientBuilder builder = Client.builder().endpoints(endpoints.stream().map(URI::create).toList());
        if (tls != null) {
            EtcdTls.Pair root = tls.client("root");
            try {
                builder.sslContext(GrpcSslContexts.forClient().trustManager(tls.ca().toFile())
                        .keyManager(root.cert().toFile(), root.key().toFile()).build());
            }
            catch (SSLException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return new EtcdAdmin(builder.build());
    }

    /** Creates {@code user} with {@code password} and a role of the same name allowed {@code access} on a prefix. */
    public EtcdAdmin user(String user, String password, String prefix, Permission.Type access) {
        Auth auth = client.getAuthClient();
        await(auth.userAdd(bytes(user), bytes(password)));
        await(auth.roleAdd(bytes(user)));
        await(auth.roleGrantPermission(bytes(user), bytes(prefix), prefixEnd(prefix), access));
        await(auth.userGrantRole(bytes(user), bytes(user)));
        return this;
    }

    /** Creates {@code user} with no role at all: it authenticates, and may read or write nothing. */
    public EtcdAdmin userWithoutRole(String user, String password) {
        await(client.getAuthClient().userAdd(bytes(user), bytes(password)));
        return this;
    }

    /** Creates {@code root} (with the {@code root} role) and turns authentication on. */
    public EtcdAdmin enableAuth() {
        Auth auth = client.getAuthClient();
        await(auth.userAdd(bytes("root"), bytes("root-" + System.nanoTime())));
        await(auth.roleAdd(bytes("root")));
        await(auth.userGrantRole(bytes("root"), bytes("root")));
        await(auth.authEnable());
        return this;
    }

    /** The keys under {@code prefix}, in order. */
    public List<String> keys(String prefix) {
        GetOption option = GetOption.builder().isPrefix(true).withKeysOnly(true).build();
        return await(client.getKVClient().get(bytes(prefix), option)).getKvs().stream()
                .map(kv -> kv.getKey().toString(UTF_8)).toList();
    }

    /** The value of {@code key}, or null. */
    public String value(String key) {
        return await(client.getKVClient().get(bytes(key))).getKvs().stream().findFirst()
                .map(kv -> kv.getValue().toString(UTF_8)).orElse(null);
    }

    /** The member that leads now, asked of every member that answers. */
    public EtcdProcess leader(EtcdMembers members) {
        for (EtcdProcess member : members.members()) {
            if (!member.alive()) {
                continue;
            }
            StatusResponse status = await(client.getMaintenanceClient().statusMember(member.endpoint()));
            if (status.getLeader() == status.getHeader().getMemberId()) {
                return member;
            }
        }
        throw new IllegalStateException("no running member leads " + members.endpoints());
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, UTF_8);
    }

    /** The end of a prefix range: the prefix with its last byte plus one. */
    private static ByteSequence prefixEnd(String prefix) {
        byte[] end = prefix.getBytes(UTF_8);
        end[end.length - 1]++;
        return ByteSequence.from(end);
    }

    private static <T> T await(CompletableFuture<T> call) {
        try {
            return call.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("etcd admin call failed: " + ex, ex);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}

package org.lockstep.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntFunction;

/**
 * The simulated agents' long-polls: a keep-alive HTTP/1.1 connection per host, every one on a single selector thread,
 * one {@code GET} in flight per host. The JDK {@link java.net.http.HttpClient} costs far more CPU per answer than the
 * manifest does to give it (several hand-overs between its threads and a future chain per response); with 2,000
 * answers arriving at once on the manifest's own 2 cores that made the fan-out measure the client. Here an answer
 * costs one read and a header scan, and it is stamped with the moment {@code select} reported its bytes, before
 * anything of this process looks at them.
 *
 * <p>Only what the manifest sends is understood: a status line, headers, and a {@code Content-Length} body. Any
 * other answer (an error page, a body without a length) is handed over as its status with no body, and the
 * connection is closed and opened again for the next poll.
 */
final class HeldPolls implements AutoCloseable {

    /** What a poll brought: {@code status} -1 when the connection failed, {@code body} null unless status 200. */
    interface Answered {
        void answered(int host, long arrivedNanos, int status, String body);
    }

    private static final byte[] HEADERS_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress address;

    private final String hostHeader;

    private final IntFunction<String> authorization;

    private final Answered answered;

    private final Connection[] connections;

    private final Queue<Request> requests = new ConcurrentLinkedQueue<>();

    private final Selector selector;

    private final Thread thread;

    private volatile boolean closed;

    HeldPolls(String baseUrl, int hosts, IntFunction<String> authorization, Answered answered) {
        URI base = URI.create(baseUrl);
        this.address = new InetSocketAddress(base.getHost(), base.getPort());
        this.hostHeader = base.getHost() + ":" + base.getPort();
        this.authorization = authorization;
        this.answered = answered;
        this.connections = new Connection[hosts];
        for (int i = 0; i < hosts; i++) {
            connections[i] = new Connection(i);
        }
        try {
            this.selector = Selector.open();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        this.thread = new Thread(this::loop, "held-polls");
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends host {@code host}'s next poll ({@code pathAndQuery}); any thread, once the previous one was answered. */
    void poll(int host, String pathAndQuery) {
        requests.add(new Request(host, pathAndQuery));
        selector.wakeup();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        selector.wakeup();
        thread.join(10_000);
    }

    private void loop() {
        try (selector) {
            while (!closed) {
                selector.select();
                long now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    ((Connection) key.attachment()).ready(key, now);
                }
                selector.selectedKeys().clear();
                for (Request request = requests.poll(); request != null; request = requests.poll()) {
                    connections[request.host()].send(request.pathAndQuery());
                }
            }
            for (Connection connection : connections) {
                connection.close();
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private record Request(int host, String pathAndQuery) {
    }

    /** One host's connection; touched by the selector thread only. */
    private final class Connection {

        private final int host;

        private SocketChannel channel;

        private SelectionKey key;

        private ByteBuffer out;

        private ByteBuffer in = ByteBuffer.allocate(4096);

        private boolean awaiting;

        Connection(int host) {
            this.host = host;
        }

        void send(String pathAndQuery) {
            out = ByteBuffer.wrap(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + hostHeader
                    + "\r\nAuthorization: " + authorization.apply(host) + "\r\nUser-Agent: lockstep-bench\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            awaiting = true;
            try {
                if (channel == null) {
                    channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    key = channel.register(selector, SelectionKey.OP_CONNECT, this);
                    if (channel.connect(address)) {
                        connected();
                    }
                }
                else {
                    write();
                }
            }
            catch (IOException ex) {
                fail(System.nanoTime());
            }
        }

        void ready(SelectionKey ready, long now) {
            try {
                if (ready.isConnectable() && channel.finishConnect()) {
                    connected();
                }
                if (ready.isValid() && ready.isWritable()) {
                    write();
                }
                if (ready.isValid() && ready.isReadable()) {
                    read(now);
                }
            }
            catch (IOException ex) {
                fail(now);
            }
        }

        private void connected() throws IOException {
            write();
        }

        private void write() throws IOException {
            channel.write(out);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ : SelectionKey.OP_READ);
        }

        private void read(long now) throws IOException {
            if (!in.hasRemaining()) {
                in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
            }
            if (channel.read(in) < 0) {
                if (awaiting) {
                    fail(now);
                }
                else {
                    close();
                }
                return;
            }
            int headersEnd = indexOf(in, HEADERS_END);
            if (headersEnd < 0) {
                return;
            }
            String headers = new String(in.array(), 0, headersEnd, StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(headers.substring(9, 12));
            long length = contentLength(headers);
            int bodyStart = headersEnd + HEADERS_END.length;
            if (status != 200 || length < 0) {
                close();
                awaiting = false;
                answered.answered(host, now, status, null);
                return;
            }
            if (in.position() < bodyStart + length) {
                return;
            }
            String body = new String(in.array(), bodyStart, (int) length, StandardCharsets.UTF_8);
            in.flip().position(bodyStart + (int) length);
            in.compact();
            awaiting = false;
            if (headers.toLowerCase(Locale.ROOT).contains("\r\nconnection: close")) {
                close();
            }
            answered.answered(host, now, 200, body);
        }

        private void fail(long now) {
            close();
            if (awaiting) {
                awaiting = false;
                answered.answered(host, now, -1, null);
            }
        }

        void close() {
            if (channel != null) {
                try {
                    channel.close();
                }
                catch (IOException ignored) {
                    // closing; nothing to recover
                }
            }
            channel = null;
            key = null;
            in.clear();
        }

        private static long contentLength(String headers) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                    return Long.parseLong(line.substring(colon + 1).trim());
                }
            }
            return -1;
        }

        private static int indexOf(ByteBuffer buffer, byte[] what) {
            byte[] bytes = buffer.array();
            for (int i = 0; i + what.length <= buffer.position(); i++) {
                int j = 0;
                while (j < what.length && bytes[i + j] == what[j]) {
                    j++;
                }
                if (j == what.length) {
                    return i;
                }
            }
            return -1;
        }
    }
}

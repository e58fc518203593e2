package org.lockstep.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over a bare socket, for what an HTTP client will not send: a request line exactly as written (bad
 * percent-encodings, {@code ..}), any {@code Host} header, oversized headers, and a body sent slowly
 * ({@link SlowBody}, a slow-loris client). The request is written as given; the answer is read until its length or
 * the connection's end.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** One answer: status, headers (lower-case names) and body. Status -1: the connection closed with no answer. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    /**
     * Sends {@code head} (request line and headers, lines ended by CRLF, without the empty line that ends them)
     * and {@code body}, and reads the answer. A {@code Connection: close} is added so the answer ends the exchange.
     */
    public static Answer exchange(int port, String head, String body, Duration timeout) {
        try (Socket socket = connect(port, timeout)) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nConnection: close\r\n" + (bytes.length > 0 ? "Content-Length: " + bytes.length
                    + "\r\n" : "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            return read(socket.getInputStream());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("raw exchange on port " + port + " failed", ex);
        }
    }

    private static Socket connect(int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout((int) timeout.toMillis());
        return socket;
    }

    static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            return new Answer(-1, Map.of(), "");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = headers.get("content-length");
        if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length)));
        }
        else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0;
                 size = Integer.parseInt(line(in).trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        }
        else {
            in.transferTo(body);
        }
        return new Answer(Integer.parseInt(statusLine.split(" ")[1]), headers,
                body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * A client that sends its headers at once and then its body one byte at a time, as a slow-loris attacker does,
     * on a thread of its own, until the body is complete, the server answers or closes, or {@link #close()}.
     */
    public static final class SlowBody implements AutoCloseable {

        private final Socket socket;

        private final Thread thread;

        private volatile Answer answer;

        private volatile int sent;

        private volatile boolean running = true;

        /**
         * Starts sending: {@code head} as for {@link #exchange}, announcing a body of {@code length} bytes that is
         * then sent one byte every {@code interval}.
         */
        public SlowBody(int port, String head, int length, Duration interval) {
            try {
                socket = connect(port, Duration.ofMillis(50));
                socket.getOutputStream().write((head + "\r\nContent-Length: " + length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            thread = new Thread(() -> trickle(length, interval), "slow-body-" + socket.getLocalPort());
            thread.setDaemon(true);
            thread.start();
        }

        private void trickle(int length, Duration interval) {
            try {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                while (running && answer == null) {
                    if (in.available() > 0) {
                        socket.setSoTimeout(5000);
                        answer = read(in);
                        return;
                    }
                    if (sent < length) {
                        out.write('a');
                        out.flush();
                        sent++;
                    }
                    else if (waitForAnswer(in)) {
                        return;
                    }
                    Processes.sleep(interval);
                }
            }
            catch (IOException closedByServer) {
                readLeftover();
            }
        }

        private boolean waitForAnswer(InputStream in) throws IOException {
            try {
                socket.setSoTimeout(5000);
                answer = read(in);
                return true;
            }
            catch (SocketTimeoutException notYet) {
                return false;
            }
        }

        private void readLeftover() {
            try {
                socket.setSoTimeout(2000);
                answer = read(socket.getInputStream());
            }
            catch (IOException | RuntimeException nothing) {
                answer = new Answer(-1, Map.of(), "");
            }
        }

        /** The server's answer, if it gave one yet; status -1 when it closed without one. */
        public Optional<Answer> answer() {
            return Optional.ofNullable(answer);
        }

        /** Body bytes sent so far. */
        public int sent() {
            return sent;
        }

        @Override
        public void close() {
            running = false;
            try {
                socket.close();
                thread.join(5000);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

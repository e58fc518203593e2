package org.lockstep.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;

/** A real nginx for one host, started from a full nginx.conf around a given {@code server} block body. */
final class Nginx implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;

    private final Process process;

    /**
     * Starts nginx around a {@code server} block body of ours.
     *
     * @param dir        where nginx.conf, logs and temp files go (world-readable parents)
     * @param serverBody the directives inside {@code server {}} after {@code listen}
     */
    Nginx(Path dir, int port, String serverBody) {
        this(dir, port, """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 512; }
                http {
                    access_log off;
                    default_type application/octet-stream;
                    client_body_temp_path %1$s/client;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server {
                        listen 127.0.0.1:%2$d;
                %3$s
                    }
                }
                """.formatted(dir, port, serverBody.indent(8)), true);
    }

    private Nginx(Path dir, int port, String conf, boolean unused) {
        this.port = port;
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("nginx.conf"), conf);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Processes.run(dir, "nginx", "-t", "-q", "-e", dir.resolve("error.log").toString(), "-p", dir.toString(),
                "-c", dir.resolve("nginx.conf").toString());
        this.process = Processes.start(List.of("nginx", "-e", dir.resolve("error.log").toString(), "-p",
                dir.toString(), "-c", dir.resolve("nginx.conf").toString()), dir.resolve("nginx.out"), dir);
        Awaitility.await("nginx on " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(this::accepting);
    }

    /**
     * Starts nginx with exactly the configuration the puppet module renders for a host ({@code lockstep::agent}'s
     * nginx template, through {@code puppet/render-nginx-site.sh}), so the system tests serve what production
     * serves.
     */
    static Nginx fromPuppet(Path dir, int port, Path baseDir, String repo) {
        Path script = Path.of(System.getProperty("lockstep.puppet.dir"), "render-nginx-site.sh");
        String conf = Processes.stdout(baseDir, script.toString(), "--listen", "127.0.0.1:" + port, "--base-dir",
                baseDir.toString(), "--repos", repo, "--nginx-conf", dir.toString());
        return new Nginx(dir, port, conf, true);
    }

    /**
     * docs/design.md's read-through: {@code current}, and for a path it lacks, {@code next}, under /repositories/R/.
     */
    static String readThrough(Path baseDir, String repo) {
        return """
                location ~ ^/repositories/%2$s(/.*)$ {
                    root %1$s/%2$s;
                    try_files /current$1 /next$1 =404;
                }
                """.formatted(baseDir, repo);
    }

    /** The control: serve {@code current} only, as a plain checkout would be served. */
    static String currentOnly(Path baseDir, String repo) {
        return """
                location ~ ^/repositories/%2$s(/.*)$ {
                    root %1$s/%2$s;
                    try_files /current$1 =404;
                }
                """.formatted(baseDir, repo);
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Status and body of a GET; status -1 when nginx did not answer. */
    record Fetched(int status, String body) {
    }

    Fetched get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url(path)))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return new Fetched(response.statusCode(), response.body());
        }
        catch (IOException ex) {
            return new Fetched(-1, ex.toString());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new Fetched(-1, "interrupted");
        }
    }

    private boolean accepting() {
        if (!process.isAlive()) {
            throw new IllegalStateException("nginx exited with " + process.exitValue());
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> workers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                Processes.kill9(process);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        // nginx workers are children of the master: make sure none outlives the test.
        workers.forEach(ProcessHandle::destroyForcibly);
    }
}

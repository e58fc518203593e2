package org.lockstep.testing.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.lockstep.testing.Http;
import org.lockstep.testing.ManagedProcess;
import org.lockstep.testing.Processes;

/** A real nginx for one host, started from a full nginx.conf, on a loopback port chosen by the caller at run time. */
public final class Nginx implements AutoCloseable {

    private final int port;

    private final ManagedProcess process;

    private Nginx(Path dir, int port, String conf) {
        this.port = port;
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("nginx.conf"), conf);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        List<String> args = List.of("-e", dir.resolve("error.log").toString(), "-p", dir.toString(), "-c",
                dir.resolve("nginx.conf").toString());
        Processes.run(dir, concat(List.of("nginx", "-t", "-q"), args).toArray(String[]::new));
        this.process = ManagedProcess.command(concat(List.of("nginx"), args)).named("nginx on port " + port)
                .directory(dir).log(dir.resolve("nginx.out")).start();
        try {
            process.awaitPort(port, Duration.ofSeconds(20));
        }
        catch (RuntimeException | AssertionError ex) {
            process.close();
            throw ex;
        }
    }

    /**
     * Starts nginx around a {@code server} block body of ours.
     *
     * @param dir        where nginx.conf, logs and temp files go (world-readable parents)
     * @param serverBody the directives inside {@code server {}} after {@code listen}
     */
    public static Nginx around(Path dir, int port, String serverBody) {
        return new Nginx(dir, port, """
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
                """.formatted(dir, port, serverBody.indent(8)));
    }

    /**
     * Starts nginx with exactly the configuration the puppet module renders for a host ({@code lockstep::agent}'s
     * nginx template, through {@code puppet/render-nginx-site.sh} under system property {@code lockstep.puppet.dir}),
     * so the system tests serve what production serves.
     */
    public static Nginx fromPuppet(Path dir, int port, Path baseDir, String repo) {
        return fromPuppet(dir, port, baseDir, List.of(repo));
    }

    /** As {@link #fromPuppet(Path, int, Path, String)}, one snippet per repository of {@code repos}. */
    public static Nginx fromPuppet(Path dir, int port, Path baseDir, List<String> repos) {
        Path script = Path.of(System.getProperty("lockstep.puppet.dir"), "render-nginx-site.sh");
        String conf = Processes.stdout(baseDir, script.toString(), "--listen", "127.0.0.1:" + port, "--base-dir",
                baseDir.toString(), "--repos", String.join(",", repos), "--nginx-conf", dir.toString());
        return new Nginx(dir, port, conf);
    }

    /** docs/design.md's read-through: {@code current}, and for a path it lacks, {@code next}, under /repositories/R. */
    public static String readThrough(Path baseDir, String repo) {
        return """
                location ~ ^/repositories/%2$s(/.*)$ {
                    root %1$s/%2$s;
                    try_files /current$1 /next$1 =404;
                }
                """.formatted(baseDir, repo);
    }

    /** The control: serve {@code current} only, as a plain checkout would be served. */
    public static String currentOnly(Path baseDir, String repo) {
        return """
                location ~ ^/repositories/%2$s(/.*)$ {
                    root %1$s/%2$s;
                    try_files /current$1 =404;
                }
                """.formatted(baseDir, repo);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Status and body of a GET; status -1 when nginx did not answer. */
    public Http.Fetched get(String path) {
        return Http.get(url(path));
    }

    /** A graceful stop (SIGTERM), then SIGKILL for the master and every worker still there. */
    @Override
    public void close() {
        process.stop(Duration.ofSeconds(5));
    }

    private static List<String> concat(List<String> head, List<String> tail) {
        return Stream.concat(head.stream(), tail.stream()).toList();
    }
}

package org.lockstep.manifest.web;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import org.springframework.http.MediaType;

/**
 * A request whose body is counted and timed while it is read (see {@link RequestBodyLimits}). A form body
 * ({@code application/x-www-form-urlencoded}) is read through the same bounded stream the first time a parameter is
 * asked for, and parsed here; the container then parses only the query string.
 */
final class BoundedRequest extends HttpServletRequestWrapper {

    private final long limit;

    private final long deadline;

    private ServletInputStream stream;

    private BufferedReader reader;

    private Map<String, String[]> parameters;

    BoundedRequest(HttpServletRequest request, long limit, long deadlineNanos) {
        super(request);
        this.limit = limit;
        this.deadline = deadlineNanos;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (stream == null) {
            stream = new Stream(super.getInputStream());
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (reader == null) {
            reader = new BufferedReader(new InputStreamReader(getInputStream(), charset()));
        }
        return reader;
    }

    @Override
    public String getParameter(String name) {
        String[] values = parameters().get(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(parameters().keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        return parameters().get(name);
    }

    private Map<String, String[]> parameters() {
        if (parameters != null) {
            return parameters;
        }
        if (!isForm()) {
            parameters = super.getParameterMap();
            return parameters;
        }
        String body;
        try {
            body = readBody();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Map<String, String[]> merged = new LinkedHashMap<>(super.getParameterMap()); // the query string only now
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            merged.merge(name, new String[] {value}, BoundedRequest::concat);
        }
        parameters = Collections.unmodifiableMap(merged);
        return parameters;
    }

    private boolean isForm() {
        String type = getContentType();
        if (type == null || !"POST".equals(getMethod())) {
            return false;
        }
        try {
            return MediaType.APPLICATION_FORM_URLENCODED.includes(MediaType.parseMediaType(type));
        }
        catch (IllegalArgumentException notAMediaType) {
            return false;
        }
    }

    private String readBody() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        getInputStream().transferTo(out);
        return out.toString(charset());
    }

    private String decode(String text) {
        try {
            return URLDecoder.decode(text, charset());
        }
        catch (IllegalArgumentException badEscape) {
            return text; // as Tomcat does with a broken %xx: keep the text, let the caller refuse what it means
        }
    }

    private Charset charset() {
        String name = getCharacterEncoding();
        try {
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
        }
        catch (IllegalArgumentException unknown) {
            return StandardCharsets.UTF_8;
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] both = new String[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** Counts and times every read; fails as soon as the body passes the limit or the deadline. */
    private final class Stream extends ServletInputStream {

        private final ServletInputStream in;

        private long count;

        Stream(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            checkTime();
            int b = in.read();
            counted(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            checkTime();
            int n = in.read(buffer, offset, length);
            counted(Math.max(n, 0));
            return n;
        }

        private void checkTime() throws RequestBodyLimits.BodyTooSlow {
            if (System.nanoTime() - deadline > 0) {
                throw new RequestBodyLimits.BodyTooSlow();
            }
        }

        private void counted(int n) throws IOException {
            count += n;
            if (count > limit) {
                throw new RequestBodyLimits.BodyTooLarge(limit);
            }
            checkTime();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}

package de.tim.homeserver.http;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import de.tim.matrix.error.MatrixException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds JSON request bodies (413 M_TOO_LARGE) and treats every body of the JSON APIs as JSON whatever
 * its declared content type, as Matrix clients and the reference servers do. Media bodies are never
 * buffered: they keep their content type and stream through a counting limit of their own.
 */
public class BodyLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final long maxFederationBytes;
    private final long maxMediaBytes;

    public BodyLimitFilter(long maxBytes, long maxFederationBytes, long maxMediaBytes) {
        this.maxBytes = maxBytes;
        this.maxFederationBytes = maxFederationBytes;
        this.maxMediaBytes = maxMediaBytes;
    }

    static boolean isMedia(String path) {
        return path.startsWith("/_matrix/media/") || path.startsWith("/_matrix/client/v1/media/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String method = request.getMethod();
        if (!("POST".equals(method) || "PUT".equals(method) || "DELETE".equals(method))) {
            chain.doFilter(request, response);
            return;
        }
        String path = RequestPaths.of(request);
        if (isMedia(path)) {
            if (request.getContentLengthLong() > maxMediaBytes) {
                MatrixErrorResponses.write(response, MatrixException.tooLarge("Cannot upload files larger than "
                        + maxMediaBytes + " bytes"));
                return;
            }
            chain.doFilter(new LimitedMediaRequest(request, maxMediaBytes), response);
            return;
        }
        long limit = path.startsWith("/_matrix/federation/") ? maxFederationBytes : maxBytes;
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            MatrixErrorResponses.write(response, MatrixException.tooLarge("Request body too large"));
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (body.length > limit) {
            MatrixErrorResponses.write(response, MatrixException.tooLarge("Request body too large"));
            return;
        }
        chain.doFilter(new JsonBodyRequest(request, body), response);
    }

    /**
     * A media request whose body stream fails with 413 M_TOO_LARGE once it exceeds the limit. Its parameters
     * come from the query string only: a form content type never makes the container read the body.
     */
    private static final class LimitedMediaRequest extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;
        private java.util.Map<String, String[]> parameters;

        LimitedMediaRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public java.util.Map<String, String[]> getParameterMap() {
            if (parameters == null) {
                java.util.Map<String, List<String>> values = new java.util.LinkedHashMap<>();
                String query = getQueryString();
                if (query != null) {
                    for (String pair : query.split("&")) {
                        if (pair.isEmpty()) {
                            continue;
                        }
                        int eq = pair.indexOf('=');
                        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                        values.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
                    }
                }
                java.util.Map<String, String[]> map = new java.util.LinkedHashMap<>();
                values.forEach((k, v) -> map.put(k, v.toArray(String[]::new)));
                parameters = Collections.unmodifiableMap(map);
            }
            return parameters;
        }

        private static String decode(String value) {
            try {
                return java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw MatrixException.invalidParam("Malformed query string");
            }
        }

        @Override
        public String getParameter(String name) {
            String[] values = getParameterMap().get(name);
            return values == null || values.length == 0 ? null : values[0];
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(getParameterMap().keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            return getParameterMap().get(name);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long count;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            counted(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = in.read(b, off, len);
                        if (n > 0) {
                            counted(n);
                        }
                        return n;
                    }

                    private void counted(int n) {
                        count += n;
                        if (count > limit) {
                            throw MatrixException.tooLarge("Cannot upload files larger than " + limit + " bytes");
                        }
                    }

                    @Override
                    public int available() throws IOException {
                        return in.available();
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
                };
            }
            return stream;
        }
    }

    private static final class JsonBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        JsonBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public String getContentType() {
            return "application/json";
        }

        @Override
        public String getHeader(String name) {
            if ("Content-Type".equalsIgnoreCase(name)) {
                return getContentType();
            }
            if ("Content-Length".equalsIgnoreCase(name)) {
                return Integer.toString(body.length);
            }
            return super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            if ("Content-Type".equalsIgnoreCase(name) || "Content-Length".equalsIgnoreCase(name)) {
                return Collections.enumeration(List.of(getHeader(name)));
            }
            return super.getHeaders(name);
        }

        @Override
        public String getCharacterEncoding() {
            return StandardCharsets.UTF_8.name();
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return false;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}

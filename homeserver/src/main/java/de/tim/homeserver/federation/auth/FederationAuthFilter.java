package de.tim.homeserver.federation.auth;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainArgumentResolver;
import de.tim.homeserver.federation.keys.ServerKeyStore;
import de.tim.homeserver.http.MatrixErrorResponses;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.json.InvalidJsonException;
import de.tim.matrix.json.StrictJson;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every request under {@code /_matrix/federation/} by its X-Matrix header before any
 * handler runs (see {@link FederationRequestAuthenticator}); the endpoints the spec leaves open
 * ({@code v1/version}, {@code v1/openid/userinfo}) are exempt. The verified origin is available to
 * handlers as {@link FederationOrigin}. The body is read once here (after the body limit) and replayed.
 */
public class FederationAuthFilter extends OncePerRequestFilter {

    static final String PREFIX = "/_matrix/federation/";
    private static final Set<String> UNAUTHENTICATED = Set.of("/_matrix/federation/v1/version",
            "/_matrix/federation/v1/openid/userinfo");

    private final DomainArgumentResolver domains;
    private final FederationRequestAuthenticator authenticator;

    public FederationAuthFilter(DomainArgumentResolver domains, ServerKeyStore keys) {
        this.domains = domains;
        this.authenticator = new FederationRequestAuthenticator(keys);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        return !path.startsWith(PREFIX) || UNAUTHENTICATED.contains(path);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] body = request.getInputStream().readAllBytes();
        try {
            Domain domain = domains.resolve(request);
            JsonNode content = parse(body);
            String query = request.getQueryString();
            String uri = request.getRequestURI() + (query == null ? "" : "?" + query);
            FederationOrigin origin = authenticator.authenticate(domain, Collections.list(request.getHeaders("Authorization")),
                    request.getMethod(), uri, content, System.currentTimeMillis());
            request.setAttribute(FederationOrigin.ATTRIBUTE, origin);
        } catch (MatrixException e) {
            MatrixErrorResponses.write(response, e);
            return;
        }
        chain.doFilter(new ReplayedBodyRequest(request, body), response);
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return StrictJson.parse(body, StrictJson.Mode.ANY_NUMBERS);
        } catch (InvalidJsonException e) {
            throw MatrixException.notJson("Request body is not valid JSON");
        }
    }

    private static String path(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    }

    private static final class ReplayedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        ReplayedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}

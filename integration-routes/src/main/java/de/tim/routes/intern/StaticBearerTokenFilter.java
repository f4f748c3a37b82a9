package de.tim.routes.intern;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Admits only requests with one of a configured set of bearer tokens to {@code /<segment>/**} (the proxies'
 * I_internVerification, the hoster API). Tokens are compared as SHA-256 digests in constant time, against every
 * configured token; they are never logged.
 */
public final class StaticBearerTokenFilter extends OncePerRequestFilter {

    private final String segment;
    private final String realm;
    private final List<byte[]> digests;

    public StaticBearerTokenFilter(String segment, List<String> tokens, String realm) {
        this.segment = segment;
        this.realm = realm;
        this.digests = tokens.stream().map(StaticBearerTokenFilter::sha256).toList();
    }

    /** Only paths that can reach {@code /<segment>/**} are checked; anything naming the segment counts (no bypass by encoding). */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String raw = request.getRequestURI() == null ? "" : java.net.URLDecoder.decode(
                request.getRequestURI().replace("+", "%2B"), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        return !servletPath.startsWith("/" + segment) && !raw.contains(segment);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (admitted(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + realm + "\"");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getWriter().write("{\"errorCode\":\"UNAUTHORIZED\",\"errorMessage\":\"a valid bearer token is required\"}");
    }

    boolean admitted(String authorization) {
        if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            return false;
        }
        byte[] presented = sha256(authorization.substring(7).trim());
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, presented);
        }
        return match;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

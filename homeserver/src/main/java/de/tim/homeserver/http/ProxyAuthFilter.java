package de.tim.homeserver.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import de.tim.matrix.error.MatrixException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets only the own Messenger-Proxy in (ML-132863): requests must carry {@value #HEADER} with the
 * configured secret, compared in constant time. Health probes are exempt.
 */
public class ProxyAuthFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Tim-Proxy-Auth";

    private final byte[] secret;

    public ProxyAuthFilter(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = RequestPaths.of(request);
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader(HEADER);
        if (presented == null
                || !MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8))) {
            MatrixErrorResponses.write(response, MatrixException.forbidden("Requests must come through the Messenger-Proxy"));
            return;
        }
        chain.doFilter(request, response);
    }
}

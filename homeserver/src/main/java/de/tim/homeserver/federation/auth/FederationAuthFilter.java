package de.tim.homeserver.federation.auth;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainArgumentResolver;
import de.tim.homeserver.federation.keys.ServerKeyStore;
import de.tim.homeserver.http.MatrixErrorResponses;
import de.tim.homeserver.http.RequestPaths;
import de.tim.homeserver.ratelimit.RateLimiter;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.json.InvalidJsonException;
import de.tim.matrix.json.StrictJson;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every request under {@code /_matrix/federation/} by its X-Matrix header before any
 * handler runs (see {@link FederationRequestAuthenticator}); the endpoints the spec leaves open
 * ({@code v1/version}, {@code v1/openid/userinfo}) are exempt. The verified origin is available to
 * handlers as {@link FederationOrigin}. The body is read once here (after the body limit) and replayed.
 * Each origin server's requests are rate limited per instance ({@link RateLimiter.Action#FEDERATION}, and
 * {@link RateLimiter.Action#FEDERATION_HEAVY} for the requests in {@link #HEAVY}): 429 {@code M_LIMIT_EXCEEDED}.
 */
public class FederationAuthFilter extends OncePerRequestFilter {

    static final String PREFIX = "/_matrix/federation/";
    private static final Set<String> UNAUTHENTICATED = Set.of("/_matrix/federation/v1/version",
            "/_matrix/federation/v1/openid/userinfo");

    /** Path prefixes of requests that build room state or use up one-time keys here. */
    static final List<String> HEAVY = List.of("/_matrix/federation/v1/make_join/", "/_matrix/federation/v1/send_join/",
            "/_matrix/federation/v2/send_join/", "/_matrix/federation/v1/make_knock/", "/_matrix/federation/v1/send_knock/",
            "/_matrix/federation/v1/user/keys/claim");

    private final DomainArgumentResolver domains;
    private final FederationRequestAuthenticator authenticator;
    private final RateLimiter rateLimiter;

    public FederationAuthFilter(DomainArgumentResolver domains, ServerKeyStore keys, RateLimiter rateLimiter) {
        this.domains = domains;
        this.authenticator = new FederationRequestAuthenticator(keys);
        this.rateLimiter = rateLimiter;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = RequestPaths.of(request);
        return !path.startsWith(PREFIX) || UNAUTHENTICATED.contains(path);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // BodyLimitFilter (ordered before this filter) has bounded the body and made it re-readable
        byte[] body = request.getInputStream().readAllBytes();
        try {
            Domain domain = domains.resolve(request);
            JsonNode content = parse(body);
            String query = request.getQueryString();
            String uri = request.getRequestURI() + (query == null ? "" : "?" + query);
            FederationOrigin origin = authenticator.authenticate(domain, Collections.list(request.getHeaders("Authorization")),
                    request.getMethod(), uri, content, System.currentTimeMillis());
            rateLimiter.acquire(RateLimiter.Action.FEDERATION, domain, origin.name());
            String path = RequestPaths.of(request);
            if (HEAVY.stream().anyMatch(path::startsWith)) {
                rateLimiter.acquire(RateLimiter.Action.FEDERATION_HEAVY, domain, origin.name());
            }
            request.setAttribute(FederationOrigin.ATTRIBUTE, origin);
        } catch (MatrixException e) {
            MatrixErrorResponses.write(response, e);
            return;
        }
        chain.doFilter(request, response);
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
}

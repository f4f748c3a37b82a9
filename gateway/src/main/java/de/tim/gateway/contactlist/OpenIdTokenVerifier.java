package de.tim.gateway.contactlist;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.gateway.route.UpstreamProperties;
import de.tim.matrix.id.UserId;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Verifies a Matrix OpenID token at the caller's own homeserver ({@code GET
 * /_matrix/federation/v1/openid/userinfo}), which answers with the user id the token belongs to.
 * Verified tokens are remembered briefly, keyed by their SHA-256 only.
 */
class OpenIdTokenVerifier {

    private static final int MAX_CACHED = 100_000;

    private final RestClient homeserver;
    private final UpstreamProperties upstream;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Verified> cache = new ConcurrentHashMap<>();

    OpenIdTokenVerifier(RestClient homeserver, UpstreamProperties upstream, Duration ttl, Clock clock) {
        this.homeserver = homeserver;
        this.upstream = upstream;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * @param token the bearer token from the request
     * @param host  the served server name the request addressed: it selects the homeserver domain that issued the token
     */
    UserId verify(String token, String host) {
        String key = sha256(host + "\n" + token);
        Instant now = clock.instant();
        Verified cached = cache.get(key);
        if (cached != null && cached.until().isAfter(now)) {
            return cached.user();
        }
        UserId user = askHomeserver(token, host);
        if (cache.size() >= MAX_CACHED) {
            cache.entrySet().removeIf(e -> !e.getValue().until().isAfter(now));
        }
        if (cache.size() < MAX_CACHED) {
            cache.put(key, new Verified(user, now.plus(ttl)));
        }
        return user;
    }

    private UserId askHomeserver(String token, String host) {
        URI uri = UriComponentsBuilder.fromUri(upstream.homeserverUri())
                .path("/_matrix/federation/v1/openid/userinfo")
                .queryParam("access_token", "{token}")
                .encode()
                .buildAndExpand(token)
                .toUri();
        try {
            JsonNode body = homeserver.get().uri(uri)
                    .header("Host", host)
                    .header(UpstreamProperties.PROXY_AUTH_HEADER, upstream.proxySecret())
                    .retrieve()
                    .onStatus(HttpStatusCode::is4xxClientError, (request, response) -> {
                        throw ContactManagementException.unauthorized("The Matrix OpenID token is not valid");
                    })
                    .onStatus(HttpStatusCode::is5xxServerError, (request, response) -> {
                        throw unavailable();
                    })
                    .body(JsonNode.class);
            JsonNode sub = body == null ? null : body.get("sub");
            if (sub == null || !sub.isTextual() || !UserId.isValid(sub.asText())) {
                throw unavailable();
            }
            return UserId.parseHistorical(sub.asText());
        } catch (ResourceAccessException e) {
            throw unavailable();
        }
    }

    private static ContactManagementException unavailable() {
        return new ContactManagementException(503, "UNAVAILABLE", "The homeserver could not verify the token; try again later");
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Verified(UserId user, Instant until) {
    }
}

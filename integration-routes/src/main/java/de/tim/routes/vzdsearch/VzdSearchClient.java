package de.tim.routes.vzdsearch;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import de.tim.routes.vzd.VzdExchanges;
import de.tim.routes.vzd.VzdUnavailableException;

/**
 * FHIR searches at the VZD-FHIR-Directory with a search-accesstoken. The token comes from {@code /tim-authenticate}
 * in exchange for a Matrix-OpenID-Token of the configured service account ({@code POST
 * /_matrix/client/v3/user/{userId}/openid/request_token} at its homeserver); it is cached until 30 s before it
 * expires, and a 401 from {@code /search} drops it and repeats the search once. Tokens are never logged.
 */
@Component
public class VzdSearchClient {

    private static final java.time.Duration MARGIN = java.time.Duration.ofSeconds(30);

    private final ProducerTemplate template;
    private final VzdSearchProperties properties;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();
    private final ReentrantLock lock = new ReentrantLock();
    private String token;
    private Instant expiresAt = Instant.EPOCH;

    public VzdSearchClient(ProducerTemplate template, VzdSearchProperties properties, ObjectMapper json) {
        this.template = template;
        this.properties = properties;
        this.json = json;
    }

    public boolean configured() {
        return properties.configured();
    }

    /**
     * {@code GET /search/<type>?<query>}; the query's values must already be URL-encoded.
     *
     * @return the answered Bundle
     */
    public JsonNode search(String type, String query) {
        if (!configured()) {
            throw new VzdUnavailableException("VZD search is not configured (" + VzdSearchProperties.PREFIX + ".user-id/access-token)", 0);
        }
        for (int attempt = 0; ; attempt++) {
            String bearer = searchToken();
            Exchange exchange = template.request(VzdSearchRoute.SEARCH, e -> {
                e.getIn().setHeader("Authorization", "Bearer " + bearer);
                e.getIn().setHeader(Exchange.HTTP_PATH, "/" + type);
                e.getIn().setHeader(Exchange.HTTP_QUERY, query);
            });
            int failed = VzdExchanges.failedStatus(exchange);
            if (failed == 401 && attempt == 0) {
                invalidate(bearer);
                continue;
            }
            if (failed != -1) {
                throw VzdExchanges.failure("search " + type, exchange);
            }
            return parse(exchange, "search " + type);
        }
    }

    private String searchToken() {
        lock.lock();
        try {
            if (token != null && expiresAt.minus(MARGIN).isAfter(clock.instant())) {
                return token;
            }
            token = null;
            String openIdToken = openIdToken();
            Exchange exchange = template.request(VzdSearchRoute.TIM_AUTHENTICATE, e -> {
                e.getIn().setHeader("X-Matrix-OpenID-Token", openIdToken);
                e.getIn().setHeader(Exchange.HTTP_QUERY, "mxId=" + encode(properties.serverName()));
            });
            if (VzdExchanges.failedStatus(exchange) != -1) {
                throw VzdExchanges.failure("tim-authenticate", exchange);
            }
            JsonNode answer = parse(exchange, "tim-authenticate");
            if (!answer.path("access_token").isTextual()) {
                throw new VzdUnavailableException("VZD tim-authenticate answered without access_token", 502);
            }
            token = answer.get("access_token").asText();
            expiresAt = clock.instant().plusSeconds(answer.path("expires_in").asLong(60));
            return token;
        } finally {
            lock.unlock();
        }
    }

    private String openIdToken() {
        Exchange exchange = template.request(VzdSearchRoute.OPENID_TOKEN, e -> {
            e.getIn().setHeader("Authorization", "Bearer " + properties.accessToken());
            e.getIn().setHeader(Exchange.HTTP_PATH, "/_matrix/client/v3/user/" + encode(properties.userId()) + "/openid/request_token");
            // a multi-domain homeserver binds the request to its domain by Host: the service account's server name
            e.getIn().setHeader("Host", serverName(properties.userId()));
            if (properties.homeserverProxySecret() != null && !properties.homeserverProxySecret().isBlank()) {
                e.getIn().setHeader("X-Tim-Proxy-Auth", properties.homeserverProxySecret());
            }
        });
        if (VzdExchanges.failedStatus(exchange) != -1) {
            int status = VzdExchanges.failedStatus(exchange);
            throw new VzdUnavailableException("homeserver OpenID token request failed: "
                    + (status == 0 ? "unreachable" : "answered " + status), status == 0 ? 0 : 502);
        }
        JsonNode answer = parse(exchange, "OpenID token request");
        if (!answer.path("access_token").isTextual()) {
            throw new VzdUnavailableException("homeserver answered no OpenID token", 502);
        }
        return answer.get("access_token").asText();
    }

    /** The server name of an MXID ({@code @local:server.name[:port]}). */
    static String serverName(String userId) {
        int colon = userId.indexOf(':');
        if (colon < 0 || colon == userId.length() - 1) {
            throw new IllegalStateException("tim.routes.vzd-search.user-id is not an MXID");
        }
        return userId.substring(colon + 1);
    }

    private void invalidate(String refused) {
        lock.lock();
        try {
            if (refused.equals(token)) {
                token = null;
            }
        } finally {
            lock.unlock();
        }
    }

    private JsonNode parse(Exchange exchange, String operation) {
        try {
            JsonNode answer = json.readTree(exchange.getMessage().getBody(String.class));
            if (answer == null || !answer.isObject()) {
                throw new VzdUnavailableException("VZD " + operation + " answered no JSON object", 502);
            }
            return answer;
        } catch (com.fasterxml.jackson.core.JacksonException | IllegalArgumentException e) {
            throw new VzdUnavailableException("VZD " + operation + " answered no JSON", 502);
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

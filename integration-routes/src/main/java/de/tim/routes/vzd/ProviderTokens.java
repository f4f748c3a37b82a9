package de.tim.routes.vzd;

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

/**
 * The provider-accesstoken of this TI-Messenger provider: client credentials at the OAuth service give a
 * ti-provider-accesstoken, which {@code /ti-provider-authenticate} exchanges for the provider-accesstoken. Both are
 * cached in memory until {@code token-refresh-margin} before they expire. Tokens are never logged.
 */
@Component
public class ProviderTokens {

    private final ProducerTemplate template;
    private final VzdProperties properties;
    private final ObjectMapper json;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private Cached tiProvider;
    private Cached provider;

    private record Cached(String token, Instant expiresAt) {
    }

    @org.springframework.beans.factory.annotation.Autowired
    public ProviderTokens(ProducerTemplate template, VzdProperties properties, ObjectMapper json) {
        this(template, properties, json, Clock.systemUTC());
    }

    ProviderTokens(ProducerTemplate template, VzdProperties properties, ObjectMapper json, Clock clock) {
        this.template = template;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    /** A provider-accesstoken valid for at least the refresh margin. */
    public String providerToken() {
        lock.lock();
        try {
            if (valid(provider)) {
                return provider.token();
            }
            provider = null;
            for (int attempt = 0; ; attempt++) {
                String tiProviderToken = tiProviderToken();
                Exchange exchange = template.request(VzdRoutes.PROVIDER_AUTHENTICATE,
                        e -> e.getIn().setHeader("Authorization", "Bearer " + tiProviderToken));
                int failed = VzdExchanges.failedStatus(exchange);
                if (failed == 401 && attempt == 0) {
                    tiProvider = null;
                    continue;
                }
                if (failed != -1) {
                    throw VzdExchanges.failure("ti-provider-authenticate", exchange);
                }
                provider = parse(exchange, "ti-provider-authenticate");
                return provider.token();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a provider-accesstoken the VZD refused (expired or revoked), so the next call gets a new one. */
    public void invalidate(String providerToken) {
        lock.lock();
        try {
            if (provider != null && provider.token().equals(providerToken)) {
                provider = null;
            }
        } finally {
            lock.unlock();
        }
    }

    private String tiProviderToken() {
        if (valid(tiProvider)) {
            return tiProvider.token();
        }
        if (properties.clientId() == null || properties.clientId().isBlank()
                || properties.clientSecret() == null || properties.clientSecret().isBlank()) {
            throw new VzdUnavailableException("VZD client credentials are not configured (" + VzdProperties.PREFIX + ".client-id/-secret)", 0);
        }
        String form = "grant_type=client_credentials&client_id=" + encode(properties.clientId())
                + "&client_secret=" + encode(properties.clientSecret());
        Exchange exchange = template.request(VzdRoutes.OAUTH_TOKEN, e -> e.getIn().setBody(form));
        if (VzdExchanges.failedStatus(exchange) != -1) {
            throw VzdExchanges.failure("OAuth token", exchange);
        }
        tiProvider = parse(exchange, "OAuth token");
        return tiProvider.token();
    }

    private Cached parse(Exchange exchange, String operation) {
        try {
            JsonNode body = json.readTree(exchange.getMessage().getBody(String.class));
            JsonNode token = body.get("access_token");
            JsonNode expiresIn = body.get("expires_in");
            if (token == null || !token.isTextual() || token.asText().isBlank()) {
                throw new VzdUnavailableException("VZD " + operation + " answered without access_token", 502);
            }
            long seconds = expiresIn != null && expiresIn.canConvertToLong() ? expiresIn.asLong() : 60;
            return new Cached(token.asText(), clock.instant().plusSeconds(seconds));
        } catch (com.fasterxml.jackson.core.JacksonException | IllegalArgumentException e) {
            throw new VzdUnavailableException("VZD " + operation + " answered no JSON", 502);
        }
    }

    private boolean valid(Cached cached) {
        return cached != null && cached.expiresAt().minus(properties.tokenRefreshMargin()).isAfter(clock.instant());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

package de.tim.routes.vzd;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The provider-side VZD operations this service needs, each through its Camel route with a provider-accesstoken. A
 * 401 (token expired or revoked) drops the cached token and repeats the call once with a new one.
 */
@Component
public class VzdClient {

    /** Directory parts of whereIs. */
    public enum DirectoryPart { org, pract, orgPract, none }

    private final ProducerTemplate template;
    private final ProviderTokens tokens;
    private final ObjectMapper json;

    public VzdClient(ProducerTemplate template, ProviderTokens tokens, ObjectMapper json) {
        this.template = template;
        this.tokens = tokens;
        this.json = json;
    }

    /**
     * getFederationList.
     *
     * @param knownVersion the version already held, or {@code null}
     * @return the compact JWS, or empty when the VZD has nothing newer (204)
     */
    public Optional<String> federationListNewerThan(Long knownVersion) {
        String query = knownVersion == null ? null : "version=" + knownVersion;
        Exchange exchange = call(VzdRoutes.FEDERATION_LIST, query, "getFederationList");
        String body = exchange.getMessage().getBody(String.class);
        if (VzdExchanges.status(exchange) == 204 || body == null || body.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(body.trim());
    }

    /** whereIs for an MXID such as {@code @alice:example.org}; sent as {@code matrix:user/alice:example.org}. */
    public DirectoryPart whereIs(String mxid) {
        String uriForm = "matrix:user/" + mxid.substring(1);
        Exchange exchange = call(VzdRoutes.WHERE_IS, "mxid=" + URLEncoder.encode(uriForm, StandardCharsets.UTF_8), "whereIs");
        try {
            JsonNode answer = json.readTree(exchange.getMessage().getBody(String.class));
            if (answer == null || !answer.isTextual()) {
                throw new VzdUnavailableException("VZD whereIs answered no directory part", 502);
            }
            return DirectoryPart.valueOf(answer.asText());
        } catch (com.fasterxml.jackson.core.JacksonException | IllegalArgumentException e) {
            throw new VzdUnavailableException("VZD whereIs answered an unknown directory part", 502);
        }
    }

    /**
     * checkTiMessengerDomains ({@code GET /federationCheck}): the telematikIDs of this provider's domains whose
     * Organization is not active in the directory.
     */
    public java.util.Set<String> inactiveOrganisations() {
        Exchange exchange = call(VzdRoutes.FEDERATION_CHECK, null, "checkTiMessengerDomains");
        String body = exchange.getMessage().getBody(String.class);
        if (VzdExchanges.status(exchange) == 204 || body == null || body.isBlank()) {
            return java.util.Set.of();
        }
        try {
            java.util.Set<String> result = new java.util.HashSet<>();
            for (JsonNode domain : json.readTree(body).path("inactiveOrganizationDomains")) {
                if (domain.path("telematikID").isTextual()) {
                    result.add(domain.path("telematikID").asText());
                }
            }
            return result;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new VzdUnavailableException("VZD checkTiMessengerDomains answered no JSON", 502);
        }
    }

    /** Outcome of addTiMessengerDomain. */
    public enum AddResult { ADDED, CONFLICT }

    /** addTiMessengerDomain ({@code POST /federation}); a 409 (domain exists) is a result, not an error. */
    public AddResult addDomain(String domain, String telematikId, boolean isInsurance) {
        String body = json.createObjectNode().put("domain", domain).put("telematikID", telematikId)
                .put("isInsurance", isInsurance).toString();
        try {
            call(VzdRoutes.ADD_DOMAIN, null, null, body, "addTiMessengerDomain");
            return AddResult.ADDED;
        } catch (VzdUnavailableException e) {
            if (e.status() == 409) {
                return AddResult.CONFLICT;
            }
            throw e;
        }
    }

    /** deleteTiMessengerDomain ({@code DELETE /federation/{domain}}); true if deleted, false if it was not there. */
    public boolean deleteDomain(String domain) {
        try {
            call(VzdRoutes.DELETE_DOMAIN, null, "/federation/" + URLEncoder.encode(domain, StandardCharsets.UTF_8), null,
                    "deleteTiMessengerDomain");
            return true;
        } catch (VzdUnavailableException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    private Exchange call(String endpoint, String query, String operation) {
        return call(endpoint, query, null, null, operation);
    }

    private Exchange call(String endpoint, String query, String path, String body, String operation) {
        for (int attempt = 0; ; attempt++) {
            String token = tokens.providerToken();
            Exchange exchange = template.request(endpoint, e -> {
                e.getIn().setHeader("Authorization", "Bearer " + token);
                if (query != null) {
                    e.getIn().setHeader(Exchange.HTTP_QUERY, query);
                }
                if (path != null) {
                    e.getIn().setHeader(Exchange.HTTP_PATH, path);
                }
                if (body != null) {
                    e.getIn().setBody(body);
                }
            });
            int failed = VzdExchanges.failedStatus(exchange);
            if (failed == 401 && attempt == 0) {
                tokens.invalidate(token);
                continue;
            }
            if (failed != -1) {
                throw VzdExchanges.failure(operation, exchange);
            }
            return exchange;
        }
    }
}

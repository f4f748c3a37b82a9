package de.tim.routes.federationlist;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The domains of the newest accepted (already verified) federation list with their {@code isInsurance} flag, parsed
 * once per version.
 */
@Component
public class FederationDomains {

    private record Parsed(long version, Map<String, Boolean> insurance) {
    }

    private final FederationListService lists;
    private final ObjectMapper json;
    private volatile Parsed parsed;

    public FederationDomains(FederationListService lists, ObjectMapper json) {
        this.lists = lists;
        this.json = json;
    }

    /** {@code isInsurance} of a federated domain; empty when the domain is not on the list (or no list is known). */
    public Optional<Boolean> isInsurance(String domain) {
        Optional<FederationList> list = lists.stored();
        if (list.isEmpty()) {
            return Optional.empty();
        }
        Parsed known = parsed;
        if (known == null || known.version() != list.get().version()) {
            known = parse(list.get());
            parsed = known;
        }
        return Optional.ofNullable(known.insurance().get(domain.toLowerCase(Locale.ROOT)));
    }

    private Parsed parse(FederationList list) {
        java.util.HashMap<String, Boolean> insurance = new java.util.HashMap<>();
        try {
            String payload = list.jws().split("\\.")[1];
            JsonNode claims = json.readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
            for (JsonNode entry : claims.path("domainList")) {
                if (entry.path("domain").isTextual()) {
                    insurance.put(entry.get("domain").asText().toLowerCase(Locale.ROOT), entry.path("isInsurance").asBoolean(false));
                }
            }
        } catch (com.fasterxml.jackson.core.JacksonException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalStateException("stored federation list cannot be read");
        }
        return new Parsed(list.version(), Map.copyOf(insurance));
    }
}

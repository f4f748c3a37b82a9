package de.tim.gateway.federation;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.crypto.jws.JwsVerificationException;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.json.InvalidJsonException;
import de.tim.matrix.json.StrictJson;

/** Reads the payload of a verified federation-list JWS (FederationList.json plus {@code iat}/{@code exp}). */
final class FederationListPayload {

    private FederationListPayload() {
    }

    static FederationList read(String payload) throws JwsVerificationException {
        JsonNode root;
        try {
            root = StrictJson.parseObject(payload);
        } catch (InvalidJsonException e) {
            throw new JwsVerificationException("payload is not a JSON object");
        }
        long version = integer(root, "version");
        Instant iat = Instant.ofEpochSecond(integer(root, "iat"));
        Instant exp = Instant.ofEpochSecond(integer(root, "exp"));
        if (!exp.isAfter(iat)) {
            throw new JwsVerificationException("exp does not lie after iat");
        }
        JsonNode list = root.get("domainList");
        if (list == null || !list.isArray()) {
            throw new JwsVerificationException("domainList is missing");
        }
        Map<String, FederationList.Entry> domains = new HashMap<>();
        for (JsonNode item : list) {
            String domain = text(item, "domain");
            ServerName name;
            try {
                name = ServerName.parse(domain);
            } catch (IllegalArgumentException e) {
                throw new JwsVerificationException("domainList holds an invalid domain");
            }
            JsonNode insurance = item.get("isInsurance");
            domains.put(FederationList.key(name), new FederationList.Entry(domain, text(item, "telematikID"),
                    insurance != null && insurance.asBoolean(false), text(item, "timProvider")));
        }
        return new FederationList(version, iat, exp, domains);
    }

    private static long integer(JsonNode node, String field) throws JwsVerificationException {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new JwsVerificationException(field + " is missing or not a non-negative integer");
        }
        return value.asLong();
    }

    private static String text(JsonNode node, String field) throws JwsVerificationException {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new JwsVerificationException("domainList item lacks " + field);
        }
        return value.asText();
    }
}

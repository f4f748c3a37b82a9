package de.tim.push.retention;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.matrix.error.MatrixException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Org-Admin's retention setting per domain, for the admin portal (internal API, bearer token
 * {@code tim.push.retention.policy-api-token}; not to be routed to the internet). Body and answer:
 * {@code {"enabled": true, "inactivity_period": "P6M"}} (ISO-8601 period), the answer adds {@code domain} and
 * {@code source}.
 */
@RestController
@ConditionalOnProperty(prefix = RetentionProperties.PREFIX, name = "enabled", matchIfMissing = true)
class RetentionPolicyEndpoints {

    private static final String PATH = "/_tim/retention/v1/policies/{domain}";

    private final RetentionPolicyService service;
    private final RetentionProperties properties;
    private final ObjectMapper json;

    RetentionPolicyEndpoints(RetentionPolicyService service, RetentionProperties properties, ObjectMapper json) {
        this.service = service;
        this.properties = properties;
        this.json = json;
    }

    /** {@code GET /_tim/retention/v1/policies/{domain}}: the effective policy. */
    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> get(@PathVariable String domain, @RequestHeader(name = "Authorization", required = false) String auth) {
        authorize(auth);
        return view(service.effectivePolicy(domain));
    }

    /** {@code PUT /_tim/retention/v1/policies/{domain}}: store the Org-Admin's setting. */
    @PutMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> put(@PathVariable String domain, @RequestHeader(name = "Authorization", required = false) String auth,
                            @RequestBody(required = false) byte[] body) {
        authorize(auth);
        JsonNode node;
        try {
            node = body == null || body.length == 0 ? null : json.readTree(body);
        } catch (java.io.IOException e) {
            throw MatrixException.notJson("Request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw MatrixException.notJson("Request body must be a JSON object");
        }
        JsonNode enabled = node.get("enabled");
        JsonNode period = node.get("inactivity_period");
        if (enabled == null || !enabled.isBoolean() || period == null || !period.isTextual()) {
            throw MatrixException.badJson("enabled (boolean) and inactivity_period (ISO-8601 period) are required");
        }
        try {
            return view(service.setPolicy(domain, enabled.booleanValue(), Period.parse(period.asText())));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw MatrixException.badJson("inactivity_period must be an ISO-8601 period of at least one day, e.g. P6M");
        }
    }

    /** {@code DELETE /_tim/retention/v1/policies/{domain}}: drop the Org-Admin's setting. */
    @DeleteMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> reset(@PathVariable String domain, @RequestHeader(name = "Authorization", required = false) String auth) {
        authorize(auth);
        return view(service.resetPolicy(domain));
    }

    private void authorize(String auth) {
        String expected = properties.policyApiToken();
        if (expected == null || expected.isBlank()) {
            throw MatrixException.unrecognized(404, "Unrecognized request");
        }
        if (auth == null || !auth.startsWith("Bearer ")) {
            throw MatrixException.missingToken();
        }
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), auth.substring(7).getBytes(StandardCharsets.UTF_8))) {
            throw MatrixException.unknownToken(false);
        }
    }

    private static Map<String, Object> view(RetentionPolicy policy) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("domain", policy.domain());
        view.put("enabled", policy.enabled());
        view.put("inactivity_period", policy.inactivityPeriod().toString());
        view.put("source", policy.source());
        return view;
    }
}

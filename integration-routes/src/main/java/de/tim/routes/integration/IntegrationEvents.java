package de.tim.routes.integration;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Outbound extension point: registration events as JSON to {@code {{tim.routes.integration.events-uri}}}
 * ({@code direct:tim-integration-events}, dropped when no integrator route consumes it). A failing integrator route
 * never fails the registration step that raised the event.
 */
@Component
public class IntegrationEvents {

    private static final Logger log = LoggerFactory.getLogger(IntegrationEvents.class);

    private final ProducerTemplate template;
    private final ObjectMapper json;

    public IntegrationEvents(ProducerTemplate template, ObjectMapper json) {
        this.template = template;
        this.json = json;
    }

    /** Publishes {@code {"type", "telematikId", "domain", "at"}}. */
    public void publish(String type, String telematikId, String domain) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("telematikId", telematikId);
        if (domain != null) {
            event.put("domain", domain);
        }
        event.put("at", Instant.now().toString());
        try {
            template.sendBodyAndHeader("{{tim.routes.integration.events-uri}}", json.writeValueAsString(event), "TimEventType", type);
        } catch (RuntimeException | JsonProcessingException e) {
            log.warn("integration event {} not delivered: {}", type, e.getClass().getSimpleName());
        }
    }
}

package de.tim.homeserver.filter;

import java.security.SecureRandom;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.error.MatrixException;
import org.springframework.stereotype.Service;

/** Sync filters: validated on upload, stored per user, looked up by id (also by the sync capability). */
@Service
public class FilterService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final FilterRepository repository;
    private final ObjectMapper json;

    FilterService(FilterRepository repository, ObjectMapper json) {
        this.repository = repository;
        this.json = json;
    }

    /** Validates and stores; returns the new filter id. */
    public String create(Domain domain, String userId, JsonNode filter) {
        FilterValidator.validate(filter);
        String id = newId();
        try {
            repository.insert(domain.database(), userId, id, json.writeValueAsString(filter));
        } catch (JsonProcessingException e) {
            throw MatrixException.badJson("Invalid filter");
        }
        return id;
    }

    /** Validates a filter given inline (e.g. {@code /sync?filter={...}}). */
    public void validate(JsonNode filter) {
        FilterValidator.validate(filter);
    }

    public Optional<JsonNode> find(Domain domain, String userId, String filterId) {
        return Optional.ofNullable(repository.find(domain.database(), userId, filterId)).map(doc -> {
            try {
                return json.readTree(doc.getString("filter"));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored filter is not JSON", e);
            }
        });
    }

    private static String newId() {
        StringBuilder id = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}

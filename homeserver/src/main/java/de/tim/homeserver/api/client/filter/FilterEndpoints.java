package de.tim.homeserver.api.client.filter;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.api.client.UserPaths;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.filter.FilterService;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "Filtering". */
@RestController
public class FilterEndpoints {

    private final FilterService filters;

    FilterEndpoints(FilterService filters) {
        this.filters = filters;
    }

    /** {@code POST /_matrix/client/v3/user/{userId}/filter} */
    @PostMapping("/_matrix/client/v3/user/{userId}/filter")
    Map<String, Object> create(Requester requester, @PathVariable String userId, @RequestBody JsonNode filter) {
        UserPaths.requireSelf(requester, userId);
        return Map.of("filter_id", filters.create(requester.domain(), userId, filter));
    }

    /** {@code GET /_matrix/client/v3/user/{userId}/filter/{filterId}} */
    @GetMapping("/_matrix/client/v3/user/{userId}/filter/{filterId}")
    JsonNode get(Requester requester, @PathVariable String userId, @PathVariable String filterId) {
        UserPaths.requireSelf(requester, userId);
        return filters.find(requester.domain(), userId, filterId)
                .orElseThrow(() -> MatrixException.notFound("Unknown filter"));
    }
}

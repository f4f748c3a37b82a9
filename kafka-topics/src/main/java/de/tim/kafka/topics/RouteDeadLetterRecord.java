package de.tim.kafka.topics;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An outbound call of the registration service's Camel routes that still failed after its last redelivery. It names
 * what an operator needs to replay the call and nothing else: never headers (Authorization, proxy secrets), never
 * bodies (OAuth client secrets, tokens), no exception messages; query strings only when all their parameters are on
 * the route's replay allow-list (e.g. {@code version}), otherwise {@code queryRedacted} is set.
 *
 * @param id            unique id of the failed exchange (consumers deduplicate by it)
 * @param service       the producing service ({@code integration-routes})
 * @param routeId       the Camel route that made the call, e.g. {@code vzd-delete-domain}; also the record key
 * @param method        HTTP method of the call, if it was HTTP
 * @param path          path below the route's configured endpoint URI, e.g. {@code /federation/praxis-a.tim.local}
 * @param query         the query string, only if every parameter is allow-listed for replay
 * @param queryRedacted true when the call had a query that is not carried
 * @param errorType     simple class name of the final failure (e.g. {@code HttpOperationFailedException})
 * @param httpStatus    HTTP status of the final answer; absent when there was none (connect error, timeout)
 * @param attempts      calls made, first try included
 * @param failedTs      when the last try failed (ms since epoch)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouteDeadLetterRecord(
        String id,
        String service,
        String routeId,
        String method,
        String path,
        String query,
        boolean queryRedacted,
        String errorType,
        Integer httpStatus,
        int attempts,
        long failedTs) {

    public RouteDeadLetterRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(routeId, "routeId");
        Objects.requireNonNull(errorType, "errorType");
    }

    /** The record key: the route id, so the dead letters of one route stay in order. */
    public String key() {
        return routeId;
    }
}

package de.tim.routes.deadletter;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

import de.tim.kafka.topics.RouteDeadLetterRecord;

/**
 * Builds the dead letter of an exhausted exchange from what is safe to keep: route id, HTTP method, path, the query only
 * if all its parameters are allow-listed, failure type and status, attempts. Never headers, bodies or messages.
 */
final class DeadLetterRecords {

    static final String SERVICE = "integration-routes";

    private DeadLetterRecords() {
    }

    static RouteDeadLetterRecord of(Exchange exchange, List<String> replayQueryParameters, long now) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        Integer status = failure instanceof HttpOperationFailedException failed ? failed.getStatusCode() : null;
        String query = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        boolean keepQuery = query != null && !query.isBlank() && allowed(query, replayQueryParameters);
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        Integer redeliveries = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        String routeId = exchange.getFromRouteId() != null ? exchange.getFromRouteId() : "unknown";
        return new RouteDeadLetterRecord(exchange.getExchangeId(), SERVICE, routeId, method,
                path == null || path.isBlank() ? null : path.startsWith("/") ? path : "/" + path,
                keepQuery ? query : null, query != null && !query.isBlank() && !keepQuery,
                failure == null ? "unknown" : failure.getClass().getSimpleName(), status,
                1 + (redeliveries == null ? 0 : redeliveries), now);
    }

    /** Whether every parameter of the query is named in the allow-list. */
    static boolean allowed(String query, List<String> names) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (!names.contains(name)) {
                return false;
            }
        }
        return true;
    }
}

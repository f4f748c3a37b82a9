package de.tim.gateway.check.client;

import java.util.List;

import de.tim.gateway.error.MatrixErrorResponses;
import de.tim.matrix.error.MatrixException;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Refuses Client-Server requests that do not come from an approved TI-Messenger-Client. Discovery
 * ({@code /.well-known/matrix/*}) and CORS preflights stay open, as clients need them before they
 * identify themselves.
 */
public final class ClientIdFilterFunctions {

    private ClientIdFilterFunctions() {
    }

    public static HandlerFilterFunction<ServerResponse, ServerResponse> approvedClient(ClientIdProperties properties,
                                                                                      MeterRegistry meters) {
        return (request, next) -> {
            if (!properties.enabled() || request.path().startsWith("/.well-known/matrix/")
                    || request.method().name().equals("OPTIONS")) {
                return next.handle(request);
            }
            List<String> headerValues = request.headers().header(properties.header());
            List<String> paramValues = request.params().getOrDefault("client_id", List.of());
            String clientId = headerValues.size() == 1 && paramValues.isEmpty() ? headerValues.getFirst()
                    : paramValues.size() == 1 && headerValues.isEmpty() ? paramValues.getFirst() : null;
            boolean approved = clientId != null && properties.approvedClients().contains(clientId);
            meters.counter("tim.gateway.client.check", "outcome", approved ? "allowed" : "denied").increment();
            return approved ? next.handle(request)
                    : MatrixErrorResponses.response(MatrixException.forbidden("The client is not an approved TI-Messenger-Client"));
        };
    }
}

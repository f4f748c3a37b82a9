package de.tim.gateway.route;

import java.util.Optional;

import de.tim.gateway.error.MatrixErrorResponses;
import de.tim.matrix.error.MatrixException;
import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/** Sends every forwarded request to the homeserver with the served domain's server name as {@code Host}. */
public final class HostBindingFilterFunctions {

    private HostBindingFilterFunctions() {
    }

    public static HandlerFilterFunction<ServerResponse, ServerResponse> bindToServedDomain(ServedDomains domains) {
        return (request, next) -> {
            Optional<String> serverName = domains.resolve(request.headers().firstHeader(HttpHeaders.HOST));
            if (serverName.isEmpty()) {
                return MatrixErrorResponses.response(MatrixException.unrecognized(404, "No Messenger-Service is served under this host"));
            }
            ServerRequest bound = ServerRequest.from(request)
                    .headers(headers -> headers.set(HttpHeaders.HOST, serverName.get()))
                    .build();
            bound.attributes().put(MvcUtils.PRESERVE_HOST_HEADER_ATTRIBUTE, true);
            return next.handle(bound);
        };
    }
}

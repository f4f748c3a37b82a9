package de.tim.gateway.route;

import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.preserveHostHeader;
import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.removeRequestHeader;
import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.setRequestHeader;
import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.uri;
import static org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions.route;
import static org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions.http;
import static org.springframework.web.servlet.function.RequestPredicates.path;

import de.tim.gateway.listener.ListenerPredicates;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Client-Server traffic from TI-Messenger clients to the homeserver, on the client listener only.
 * The permission checks of the Messenger-Proxy attach to these routes (issue "Messenger-Proxy").
 * Paths not listed here are not forwarded (Matrix 404), notably the homeserver's admin APIs.
 */
@Configuration(proxyBeanMethods = false)
public class ClientServerRoutes {

    @Bean
    RouterFunction<ServerResponse> clientServerRoute(UpstreamProperties upstream, ListenerPredicates listeners) {
        return route("client-server")
                .route(listeners.clientListener().and(
                        path("/_matrix/client/**")
                                .or(path("/_matrix/media/**"))
                                .or(path("/.well-known/matrix/client"))
                                .or(path("/.well-known/matrix/support"))), http())
                .before(uri(upstream.homeserverUri()))
                .before(preserveHostHeader())
                .before(removeRequestHeader(UpstreamProperties.PROXY_AUTH_HEADER))
                .before(setRequestHeader(UpstreamProperties.PROXY_AUTH_HEADER, upstream.proxySecret()))
                .build();
    }
}

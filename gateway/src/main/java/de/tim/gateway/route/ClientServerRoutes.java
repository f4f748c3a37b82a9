package de.tim.gateway.route;

import static org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions.route;
import static org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions.http;
import static org.springframework.web.servlet.function.RequestPredicates.path;

import de.tim.gateway.check.client.ClientIdFilterFunctions;
import de.tim.gateway.check.client.ClientIdProperties;
import de.tim.gateway.check.invite.InviteCheckFilterFunctions;
import de.tim.gateway.check.invite.InvitePolicy;
import de.tim.gateway.listener.ListenerPredicates;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Client-Server traffic from TI-Messenger clients to the homeserver, on the client listener only: the
 * allow-list of offered endpoints, then stage 1 of the permission concept on every path that can
 * invite or contact another server. Paths not offered (notably the homeserver's admin APIs) answer with
 * Matrix errors and never reach the homeserver.
 */
@Configuration(proxyBeanMethods = false)
public class ClientServerRoutes {

    static final String ENDPOINTS = "/de/tim/gateway/route/client-server-endpoints.txt";

    /** Versions capped at the advertised ones; without a configured list the homeserver's answer passes unchanged. */
    @Bean
    @Order(0)
    RouterFunction<ServerResponse> clientVersionsRoute(UpstreamProperties upstream, ListenerPredicates listeners,
                                                       ServedDomains servedDomains, RouteProperties properties,
                                                       ClientIdProperties clientIds, MeterRegistry meters,
                                                       ClientHttpRequestFactory upstreamRequestFactory) {
        if (properties.advertisedVersions().isEmpty()) {
            return request -> java.util.Optional.empty();
        }
        VersionsHandler handler = new VersionsHandler(RestClient.builder().requestFactory(upstreamRequestFactory).build(),
                upstream, servedDomains, properties.advertisedVersions());
        return RouterFunctions.route()
                .GET("/_matrix/client/versions", listeners.clientListener(), handler)
                .filter(ClientIdFilterFunctions.approvedClient(clientIds, meters))
                .build();
    }

    @Bean
    ServedDomains servedDomains(RouteProperties properties) {
        if (properties.serverNames().isEmpty()) {
            throw new IllegalStateException(RouteProperties.PREFIX + ".server-names must name the Matrix domain(s) behind this gateway");
        }
        return new ServedDomains(properties.serverNames());
    }

    @Bean
    MatrixEndpoints clientServerEndpoints(RouteProperties properties) {
        return MatrixEndpoints.load(ENDPOINTS, properties.clientVersionAliases());
    }

    @Bean
    @Order(10)
    RouterFunction<ServerResponse> clientServerRoute(UpstreamProperties upstream, ListenerPredicates listeners,
                                                     MatrixEndpoints clientServerEndpoints, InvitePolicy invitePolicy,
                                                     RouteProperties properties, ServedDomains servedDomains,
                                                     ClientIdProperties clientIds, MeterRegistry meters) {
        return route("client-server")
                .route(listeners.clientListener().and(
                        path("/_matrix/client/**")
                                .or(path("/_synapse/client/oidc/callback"))
                                .or(path("/_matrix/media/**"))
                                .or(path("/.well-known/matrix/client"))
                                .or(path("/.well-known/matrix/support"))), http())
                .filter(AllowListFilterFunctions.allowListed(clientServerEndpoints))
                .filter(ClientIdFilterFunctions.approvedClient(clientIds, meters))
                .filter(InviteCheckFilterFunctions.stageOne(invitePolicy, properties.maxInspectedBody(), meters))
                .filter(HostBindingFilterFunctions.toHomeserver(upstream, servedDomains))
                .build();
    }
}

package de.tim.gateway.route;

import static org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions.route;
import static org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions.http;
import static org.springframework.web.servlet.function.RequestPredicates.path;

import java.util.Set;
import java.util.stream.Collectors;

import de.tim.gateway.check.federation.XMatrixFilterFunctions;
import de.tim.gateway.check.invite.FederatedInviteFilterFunctions;
import de.tim.gateway.check.invite.FederatedInvitePolicy;
import de.tim.gateway.check.invite.FederationMembership;
import de.tim.gateway.listener.ListenerPredicates;
import de.tim.matrix.id.ServerName;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Server-Server traffic from other Messenger-Proxies, on the federation listener only: the allow-list of
 * federation endpoints; every {@code /_matrix/federation} request needs an X-Matrix header whose origin
 * is federated (except OpenID userinfo, which the VZD calls); invites pass stages 1–3. Server keys and
 * the server discovery file are public.
 */
@Configuration(proxyBeanMethods = false)
public class FederationRoutes {

    static final String ENDPOINTS = "/de/tim/gateway/route/server-server-endpoints.txt";

    @Bean
    MatrixEndpoints serverServerEndpoints() {
        return MatrixEndpoints.load(ENDPOINTS, Set.of());
    }

    @Bean
    RouterFunction<ServerResponse> federationRoute(UpstreamProperties upstream, ListenerPredicates listeners,
                                                   MatrixEndpoints serverServerEndpoints, FederationMembership membership,
                                                   FederatedInvitePolicy invitePolicy, RouteProperties properties,
                                                   ServedDomains servedDomains, MeterRegistry meters) {
        Set<ServerName> own = properties.serverNames().stream().map(ServerName::parse).collect(Collectors.toUnmodifiableSet());
        return route("server-server")
                .route(listeners.federationListener().and(path("/_matrix/federation/**")
                        .and(path("/_matrix/federation/v1/openid/userinfo").negate())), http())
                .filter(AllowListFilterFunctions.allowListed(serverServerEndpoints))
                .filter(XMatrixFilterFunctions.originFederated(membership, own, meters))
                .filter(FederatedInviteFilterFunctions.stagesOneToThree(invitePolicy, properties.maxInspectedFederationBody(), meters))
                .filter(HostBindingFilterFunctions.toHomeserver(upstream, servedDomains))
                .build();
    }

    @Bean
    RouterFunction<ServerResponse> federationPublicRoute(UpstreamProperties upstream, ListenerPredicates listeners,
                                                         MatrixEndpoints serverServerEndpoints, ServedDomains servedDomains) {
        return route("server-server-public")
                .route(listeners.federationListener().and(path("/_matrix/key/**")
                        .or(path("/.well-known/matrix/server"))
                        .or(path("/_matrix/federation/v1/openid/userinfo"))), http())
                .filter(AllowListFilterFunctions.allowListed(serverServerEndpoints))
                .filter(HostBindingFilterFunctions.toHomeserver(upstream, servedDomains))
                .build();
    }
}

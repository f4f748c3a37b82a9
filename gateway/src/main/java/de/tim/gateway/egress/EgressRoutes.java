package de.tim.gateway.egress;

import static org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions.route;
import static org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions.http;
import static org.springframework.web.servlet.function.RequestPredicates.path;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

import de.tim.gateway.check.invite.FederationMembership;
import de.tim.gateway.listener.ListenerPredicates;
import de.tim.gateway.route.UpstreamProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/** The homeserver's outbound federation through this gateway (egress listener only). */
@Configuration(proxyBeanMethods = false)
class EgressRoutes {

    @Bean
    ServerDiscovery serverDiscovery(EgressProperties properties, ObjectProvider<Clock> clock) {
        HttpClient http = HttpClient.newBuilder()
                .sslContext(EgressTls.context(properties))
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        return new ServerDiscovery(properties.serverAddresses(), http, properties.discoveryCacheTtl(),
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    RouterFunction<ServerResponse> egressRoute(ListenerPredicates listeners, UpstreamProperties upstream,
                                               FederationMembership membership, ServerDiscovery discovery,
                                               MeterRegistry meters) {
        return route("egress")
                .route(listeners.egressListener().and(path("/_matrix/federation/**")
                        .or(path("/_matrix/key/**")).or(path("/_matrix/media/**"))), http())
                .filter(EgressFilterFunctions.toFederatedDestination(upstream, membership, discovery, meters))
                .build();
    }
}

package de.tim.gateway.check.invite;

import java.util.Set;
import java.util.stream.Collectors;

import de.tim.gateway.federation.FederationListService;
import de.tim.gateway.route.RouteProperties;
import de.tim.matrix.id.ServerName;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class InviteCheckConfiguration {

    /** Own domains are always members; every other server must be on the verified federation list. */
    @Bean
    InvitePolicy invitePolicy(FederationListService federationList, RouteProperties routes) {
        Set<ServerName> own = routes.serverNames().stream().map(ServerName::parse).collect(Collectors.toUnmodifiableSet());
        return new InvitePolicy(server -> own.contains(server) || federationList.isFederated(server));
    }
}

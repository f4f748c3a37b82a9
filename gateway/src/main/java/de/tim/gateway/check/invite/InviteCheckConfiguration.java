package de.tim.gateway.check.invite;

import java.util.Set;
import java.util.stream.Collectors;

import java.net.http.HttpClient;
import java.time.Clock;

import de.tim.gateway.contactlist.ContactManagementService;
import de.tim.gateway.federation.FederationListService;
import de.tim.gateway.route.RouteProperties;
import de.tim.matrix.id.ServerName;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class InviteCheckConfiguration {

    /** Own domains are always members; every other server must be on the verified federation list. */
    @Bean
    FederationMembership federationMembership(FederationListService federationList, RouteProperties routes) {
        Set<ServerName> own = ownServerNames(routes);
        return server -> own.contains(server) || federationList.isFederated(server);
    }

    @Bean
    InvitePolicy invitePolicy(FederationMembership federationMembership) {
        return new InvitePolicy(federationMembership);
    }

    @Bean
    DirectoryCheck directoryCheck(DirectoryCheckProperties properties, ObjectProvider<Clock> clock) {
        return new RegistrationServiceDirectoryCheck(HttpClient.newBuilder().connectTimeout(properties.timeout()).build(),
                properties, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    FederatedInvitePolicy federatedInvitePolicy(FederationMembership federationMembership, RouteProperties routes,
                                                ContactManagementService contacts, DirectoryCheck directoryCheck) {
        return new FederatedInvitePolicy(federationMembership, ownServerNames(routes), contacts::allowsInvite, directoryCheck);
    }

    static Set<ServerName> ownServerNames(RouteProperties routes) {
        return routes.serverNames().stream().map(ServerName::parse).collect(Collectors.toUnmodifiableSet());
    }
}

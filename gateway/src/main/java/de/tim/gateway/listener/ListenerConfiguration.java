package de.tim.gateway.listener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ListenerConfiguration {

    @Bean
    @ConditionalOnProperty(prefix = ListenerProperties.PREFIX, name = "federation-port")
    FederationListener federationListener(ListenerProperties properties, ServerProperties server, SslBundles bundles) {
        return new FederationListener(properties.federationPort(), server, bundles);
    }

    @Bean
    @ConditionalOnProperty(prefix = ListenerProperties.PREFIX, name = "egress-port")
    EgressListener egressListener(ListenerProperties properties) {
        return new EgressListener(properties.egressPort(), properties.egressAddress());
    }

    @Bean
    ListenerPredicates listenerPredicates(ObjectProvider<FederationListener> federation, ObjectProvider<EgressListener> egress) {
        return new ListenerPredicates(federation.getIfAvailable(), egress.getIfAvailable());
    }
}

package de.tim.homeserver.api;

import java.util.List;

import de.tim.homeserver.auth.RequesterArgumentResolver;
import de.tim.homeserver.auth.TokenService;
import de.tim.homeserver.device.DeviceService;
import de.tim.homeserver.domain.DomainArgumentResolver;
import de.tim.homeserver.domain.DomainProperties;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.http.HttpProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Makes {@code Domain} and {@code Requester} injectable into endpoint methods. */
@Configuration(proxyBeanMethods = false)
public class ApiConfiguration implements WebMvcConfigurer {

    private final DomainArgumentResolver domains;
    private final RequesterArgumentResolver requesters;

    ApiConfiguration(DomainRegistry registry, DomainProperties domainProperties, TokenService tokens,
            DeviceService devices, HttpProperties http) {
        this.domains = new DomainArgumentResolver(registry, domainProperties.trustForwardedHost());
        this.requesters = new RequesterArgumentResolver(domains, tokens, devices, http.trustForwardedFor());
    }

    @Bean
    DomainArgumentResolver domainArgumentResolver() {
        return domains;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(domains);
        resolvers.add(requesters);
    }
}

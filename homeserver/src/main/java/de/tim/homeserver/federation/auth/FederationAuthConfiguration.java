package de.tim.homeserver.federation.auth;

import java.util.List;

import de.tim.homeserver.domain.DomainArgumentResolver;
import de.tim.homeserver.federation.keys.ServerKeyStore;
import de.tim.homeserver.ratelimit.RateLimiter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** X-Matrix authentication of {@code /_matrix/federation/**} and the {@link FederationOrigin} argument. */
@Configuration(proxyBeanMethods = false)
public class FederationAuthConfiguration implements WebMvcConfigurer {

    @Bean
    FilterRegistrationBean<FederationAuthFilter> federationAuthFilter(DomainArgumentResolver domains, ServerKeyStore keys,
            RateLimiter rateLimiter) {
        FilterRegistrationBean<FederationAuthFilter> bean = new FilterRegistrationBean<>(new FederationAuthFilter(domains, keys,
                rateLimiter));
        // after proxy authentication, CORS and the body limit
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 40);
        bean.addUrlPatterns("/_matrix/federation/*");
        return bean;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new FederationOriginArgumentResolver());
    }
}

package de.tim.routes.intern;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Puts a {@link StaticBearerTokenFilter} for the proxies' tokens in front of every path (it checks those that reach {@code /internal/**}). */
@Configuration(proxyBeanMethods = false)
public class InternVerificationConfiguration {

    @Bean
    FilterRegistrationBean<StaticBearerTokenFilter> internTokenFilter(InternVerificationProperties properties) {
        FilterRegistrationBean<StaticBearerTokenFilter> registration = new FilterRegistrationBean<>(
                new StaticBearerTokenFilter("internal", properties.tokens(), "I_internVerification"));
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}

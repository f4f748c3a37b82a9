package de.tim.routes.intern;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Puts {@link InternTokenFilter} in front of every path (it checks those that reach {@code /internal/**}). */
@Configuration(proxyBeanMethods = false)
public class InternVerificationConfiguration {

    @Bean
    FilterRegistrationBean<InternTokenFilter> internTokenFilter(InternVerificationProperties properties) {
        FilterRegistrationBean<InternTokenFilter> registration = new FilterRegistrationBean<>(new InternTokenFilter(properties));
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}

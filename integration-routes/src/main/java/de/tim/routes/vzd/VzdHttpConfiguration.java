package de.tim.routes.vzd;

import org.apache.camel.component.http.HttpComponent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Camel {@code http} component with the VZD timeouts (every outbound HTTP call of this service uses it). */
@Configuration(proxyBeanMethods = false)
public class VzdHttpConfiguration {

    @Bean("http")
    HttpComponent http(VzdProperties properties) {
        return configured(properties);
    }

    @Bean("https")
    HttpComponent https(VzdProperties properties) {
        return configured(properties);
    }

    private static HttpComponent configured(VzdProperties properties) {
        HttpComponent http = new HttpComponent();
        http.setConnectTimeout(properties.connectTimeout().toMillis());
        http.setConnectionRequestTimeout(properties.connectTimeout().toMillis());
        http.setResponseTimeout(properties.responseTimeout().toMillis());
        http.setSoTimeout(properties.responseTimeout().toMillis());
        // retries belong to the Camel error handlers (with backoff), not to the HTTP client
        http.setHttpClientConfigurer(builder -> builder.disableAutomaticRetries());
        return http;
    }
}

package de.tim.homeserver.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import de.tim.homeserver.media.MediaProperties;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Servlet filters and JSON strictness shared by every Matrix API. */
@Configuration(proxyBeanMethods = false)
public class HttpConfiguration {

    private static final String[] API_PATHS = {"/_matrix/*", "/_synapse/*", "/_tim/*", "/.well-known/*"};

    @Bean
    FilterRegistrationBean<CommittedResponseFilter> committedResponseFilter() {
        FilterRegistrationBean<CommittedResponseFilter> bean = new FilterRegistrationBean<>(new CommittedResponseFilter());
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
        bean.addUrlPatterns("/*");
        return bean;
    }

    @Bean
    FilterRegistrationBean<ProxyAuthFilter> proxyAuthFilter(ProxyAuthProperties properties) {
        FilterRegistrationBean<ProxyAuthFilter> bean = new FilterRegistrationBean<>(
                new ProxyAuthFilter(properties.enabled() ? properties.proxySecret() : ""));
        bean.setEnabled(properties.enabled());
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        bean.addUrlPatterns("/*");
        return bean;
    }

    @Bean
    FilterRegistrationBean<MatrixCorsFilter> matrixCorsFilter(HttpProperties properties) {
        FilterRegistrationBean<MatrixCorsFilter> bean = new FilterRegistrationBean<>(new MatrixCorsFilter());
        bean.setEnabled(properties.cors());
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        bean.addUrlPatterns(API_PATHS);
        return bean;
    }

    @Bean
    FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(HttpProperties properties, MediaProperties media) {
        FilterRegistrationBean<BodyLimitFilter> bean = new FilterRegistrationBean<>(
                new BodyLimitFilter(properties.maxBodySize().toBytes(), properties.maxFederationBodySize().toBytes(),
                        media.maxUploadSize().toBytes()));
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
        bean.addUrlPatterns(API_PATHS);
        return bean;
    }

    @Bean
    FilterRegistrationBean<ClientVersionAliasFilter> clientVersionAliasFilter(HttpProperties properties) {
        FilterRegistrationBean<ClientVersionAliasFilter> bean = new FilterRegistrationBean<>(
                new ClientVersionAliasFilter(properties.clientVersionAliases()));
        bean.setEnabled(!properties.clientVersionAliases().isEmpty());
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 40);
        bean.addUrlPatterns("/_matrix/client/*");
        return bean;
    }

    /** Matrix JSON is typed: a number is not a string, a string is not a boolean. Unknown fields are allowed. */
    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictMatrixJson() {
        return builder -> builder
                .featuresToDisable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .featuresToEnable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .postConfigurer(mapper -> {
                    for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Boolean,
                            LogicalType.Integer, LogicalType.Float}) {
                        mapper.coercionConfigFor(type)
                                .setCoercion(CoercionInputShape.Integer, type == LogicalType.Integer
                                        || type == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, type == LogicalType.Float
                                        ? CoercionAction.TryConvert : CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, type == LogicalType.Boolean
                                        ? CoercionAction.TryConvert : CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.String, type == LogicalType.Textual
                                        ? CoercionAction.TryConvert : CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.EmptyString, type == LogicalType.Textual
                                        ? CoercionAction.TryConvert : CoercionAction.Fail);
                    }
                });
    }
}

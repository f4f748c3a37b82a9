package de.tim.routes.vzd;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Access to the VZD-FHIR-Directory as TI-Messenger provider (client credentials → ti-provider-accesstoken →
 * provider-accesstoken). The URIs themselves are Camel placeholders ({@code tim.routes.vzd.oauth-token-uri},
 * {@code tim.routes.vzd.provider-authenticate-uri}, {@code tim.routes.vzd.provider-services-uri}).
 *
 * @param clientId           OAuth client_id of this provider at the VZD OAuth service; empty: VZD calls fail as "not configured"
 * @param clientSecret       OAuth client_secret; never logged
 * @param tokenRefreshMargin a cached token is renewed this long before it expires
 * @param connectTimeout     TCP connect timeout of every VZD call
 * @param responseTimeout    time to wait for a VZD answer
 * @param maxRedeliveries    retries of idempotent VZD calls on I/O errors and 5xx answers
 * @param redeliveryDelay    first retry delay; doubled on every further retry
 */
@Validated
@ConfigurationProperties(VzdProperties.PREFIX)
public record VzdProperties(
        String clientId,
        String clientSecret,
        @DefaultValue("30s") @NotNull Duration tokenRefreshMargin,
        @DefaultValue("5s") @NotNull Duration connectTimeout,
        @DefaultValue("10s") @NotNull Duration responseTimeout,
        @DefaultValue("3") @Min(0) int maxRedeliveries,
        @DefaultValue("500ms") @NotNull Duration redeliveryDelay) {

    public static final String PREFIX = "tim.routes.vzd";

    @Override
    public String toString() {
        return "VzdProperties[clientId=" + clientId + ", clientSecret=***]";
    }
}

package de.tim.routes.admin;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Org-Admin accounts (two factors: password and TOTP).
 *
 * @param sessionLifetime   lifetime of a portal session token after login
 * @param minPasswordLength least password length accepted at onboarding
 */
@Validated
@ConfigurationProperties(AdminProperties.PREFIX)
public record AdminProperties(
        @DefaultValue("30m") @NotNull Duration sessionLifetime,
        @DefaultValue("12") @Min(8) int minPasswordLength) {

    public static final String PREFIX = "tim.routes.admin";
}

package de.tim.routes.orgactive;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code Organization.active} check (A_23092–A_23094). The SMTP endpoint is the Camel placeholder
 * {@code tim.routes.org-active.smtp-uri}.
 *
 * @param checkInterval how often every registered organisation is checked (24 h)
 * @param removeAfter   how long an organisation may stay inactive before its domains leave the federation
 * @param mailFrom      sender of the KIM notifications
 */
@Validated
@ConfigurationProperties(OrganizationActiveProperties.PREFIX)
public record OrganizationActiveProperties(
        @DefaultValue("24h") @NotNull Duration checkInterval,
        @DefaultValue("30d") @NotNull Duration removeAfter,
        @DefaultValue("registrierungsdienst@kim.tim.local") @NotBlank String mailFrom) {

    public static final String PREFIX = "tim.routes.org-active";
}

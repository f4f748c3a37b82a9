package de.tim.homeserver.registration;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Account registration.
 *
 * @param enabled              open {@code POST /register} (UIA flow {@code m.login.dummy}); default false answers
 *                             403 M_FORBIDDEN, as in TI-M accounts come from the admin API, shared-secret registration or SSO
 * @param sharedSecret         default secret of Synapse-style shared-secret registration for domains without their own
 *                             {@code registration-shared-secret}; unset disables it
 * @param nonceLifetime        validity of a shared-secret registration nonce (default 60s)
 */
@ConfigurationProperties(RegistrationProperties.PREFIX)
public record RegistrationProperties(Boolean enabled, String sharedSecret, Duration nonceLifetime) {

    public static final String PREFIX = "tim.homeserver.registration";

    public RegistrationProperties {
        enabled = enabled != null && enabled;
        nonceLifetime = nonceLifetime == null ? Duration.ofSeconds(60) : nonceLifetime;
    }
}

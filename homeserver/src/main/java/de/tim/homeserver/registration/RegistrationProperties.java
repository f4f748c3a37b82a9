package de.tim.homeserver.registration;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Account registration. Open {@code POST /register} is always closed (403 M_FORBIDDEN): accounts come
 * from the admin API, shared-secret registration or SSO.
 *
 * @param sharedSecret         default secret of Synapse-style shared-secret registration for domains without their own
 *                             {@code registration-shared-secret}; unset disables it
 * @param nonceLifetime        validity of a shared-secret registration nonce (default 60s)
 */
@ConfigurationProperties(RegistrationProperties.PREFIX)
public record RegistrationProperties(String sharedSecret, Duration nonceLifetime) {

    public static final String PREFIX = "tim.homeserver.registration";

    public RegistrationProperties {
        nonceLifetime = nonceLifetime == null ? Duration.ofSeconds(60) : nonceLifetime;
    }
}

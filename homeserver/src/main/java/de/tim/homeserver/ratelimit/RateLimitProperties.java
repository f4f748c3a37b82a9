package de.tim.homeserver.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Token-bucket rate limits (per instance), answered with 429 M_LIMIT_EXCEEDED and {@code retry_after_ms}.
 *
 * @param enabled      switch for all limits (default true)
 * @param login        login attempts per client address (default 0.5/s, burst 10)
 * @param loginAccount login attempts per account (default 0.2/s, burst 5)
 * @param registration registration and availability checks per client address (default 0.2/s, burst 5)
 * @param message      room events sent by a user: messages, state, redactions, room creation (default 0.2/s,
 *                     burst 10, as Synapse's {@code rc_message})
 * @param federation   authenticated federation requests per origin server (default 50/s, burst 200)
 * @param federationHeavy federation requests per origin server that make this server build or send room state or
 *                     use up keys: {@code make_join}, {@code send_join}, {@code make_knock}, {@code send_knock},
 *                     {@code user/keys/claim} (default 1/s, burst 20)
 */
@ConfigurationProperties(RateLimitProperties.PREFIX)
public record RateLimitProperties(Boolean enabled, Limit login, Limit loginAccount, Limit registration, Limit message,
        Limit federation, Limit federationHeavy) {

    public static final String PREFIX = "tim.homeserver.rate-limit";

    public RateLimitProperties {
        enabled = enabled == null || enabled;
        login = login == null ? new Limit(0.5, 10) : login;
        loginAccount = loginAccount == null ? new Limit(0.2, 5) : loginAccount;
        registration = registration == null ? new Limit(0.2, 5) : registration;
        message = message == null ? new Limit(0.2, 10) : message;
        federation = federation == null ? new Limit(50, 200) : federation;
        federationHeavy = federationHeavy == null ? new Limit(1, 20) : federationHeavy;
    }

    /**
     * @param perSecond  sustained rate
     * @param burstCount requests allowed at once
     */
    public record Limit(double perSecond, int burstCount) {
    }
}

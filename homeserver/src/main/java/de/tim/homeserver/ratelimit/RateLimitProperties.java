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
 */
@ConfigurationProperties(RateLimitProperties.PREFIX)
public record RateLimitProperties(Boolean enabled, Limit login, Limit loginAccount, Limit registration, Limit message) {

    public static final String PREFIX = "tim.homeserver.rate-limit";

    public RateLimitProperties {
        enabled = enabled == null || enabled;
        login = login == null ? new Limit(0.5, 10) : login;
        loginAccount = loginAccount == null ? new Limit(0.2, 5) : loginAccount;
        registration = registration == null ? new Limit(0.2, 5) : registration;
        message = message == null ? new Limit(0.2, 10) : message;
    }

    /**
     * @param perSecond  sustained rate
     * @param burstCount requests allowed at once
     */
    public record Limit(double perSecond, int burstCount) {
    }
}

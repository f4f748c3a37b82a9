package de.tim.homeserver.http;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Authentication of the Messenger-Proxy towards the homeserver (ML-132863).
 *
 * @param proxySecret when set, every request except {@code /actuator/health/**} must carry
 *                    {@code X-Tim-Proxy-Auth: <secret>}; unset disables the check
 */
@ConfigurationProperties(ProxyAuthProperties.PREFIX)
public record ProxyAuthProperties(String proxySecret) {

    public static final String PREFIX = "tim.homeserver";

    public boolean enabled() {
        return proxySecret != null && !proxySecret.isEmpty();
    }
}

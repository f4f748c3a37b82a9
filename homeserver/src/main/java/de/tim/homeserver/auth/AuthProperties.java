package de.tim.homeserver.auth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Access tokens, refresh tokens, login tokens and User-Interactive Authentication.
 *
 * @param refreshableAccessTokenLifetime lifetime of access tokens issued together with a refresh token (default 5m);
 *                                       tokens of clients that do not ask for refresh never expire
 * @param loginTokenLifetime             lifetime of single-use {@code m.login.token} tokens (default 2m)
 * @param uiaSessionLifetime             how long a UIA session stays usable (default 15m)
 * @param getLoginTokenEnabled           offer {@code POST /_matrix/client/v1/login/get_token} (default true)
 * @param openidTokenLifetime            lifetime of OpenID tokens ({@code /openid/request_token}, default 1h)
 */
@ConfigurationProperties(AuthProperties.PREFIX)
public record AuthProperties(Duration refreshableAccessTokenLifetime, Duration loginTokenLifetime,
        Duration uiaSessionLifetime, Boolean getLoginTokenEnabled, Duration openidTokenLifetime) {

    public static final String PREFIX = "tim.homeserver.auth";

    public AuthProperties {
        refreshableAccessTokenLifetime = refreshableAccessTokenLifetime == null ? Duration.ofMinutes(5)
                : refreshableAccessTokenLifetime;
        loginTokenLifetime = loginTokenLifetime == null ? Duration.ofMinutes(2) : loginTokenLifetime;
        uiaSessionLifetime = uiaSessionLifetime == null ? Duration.ofMinutes(15) : uiaSessionLifetime;
        getLoginTokenEnabled = getLoginTokenEnabled == null || getLoginTokenEnabled;
        openidTokenLifetime = openidTokenLifetime == null ? Duration.ofHours(1) : openidTokenLifetime;
    }
}

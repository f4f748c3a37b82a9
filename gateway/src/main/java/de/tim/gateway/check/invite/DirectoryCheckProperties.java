package de.tim.gateway.check.invite;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Stage 3 through the registration service (I_internVerification).
 *
 * @param uri         the registration service's invite-permission endpoint; unset means stage 3 refuses
 * @param accessToken bearer token of this gateway at I_internVerification; never logged
 * @param timeout     timeout of one check
 * @param cacheTtl    how long an answer is reused for the same (inviter, invitee)
 */
@ConfigurationProperties(DirectoryCheckProperties.PREFIX)
public record DirectoryCheckProperties(URI uri, String accessToken, Duration timeout, Duration cacheTtl) {

    public static final String PREFIX = "tim.gateway.directory-check";

    public DirectoryCheckProperties {
        timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
        cacheTtl = cacheTtl == null ? Duration.ofSeconds(30) : cacheTtl;
    }
}

package de.tim.homeserver.federation.keys;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How instances learn a signing key rotated by another instance of the same domain.
 *
 * @param recheckInterval how often every instance re-reads each served domain's current key from its database,
 *                        besides the immediate signal over Kafka (default 1m): the bound when a signal is lost
 */
@ConfigurationProperties(SigningKeyProperties.PREFIX)
public record SigningKeyProperties(Duration recheckInterval) {

    public static final String PREFIX = "tim.homeserver.federation.signing-key";

    public SigningKeyProperties {
        recheckInterval = recheckInterval == null ? Duration.ofMinutes(1) : recheckInterval;
    }
}

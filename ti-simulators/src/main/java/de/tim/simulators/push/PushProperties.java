package de.tim.simulators.push;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The push-provider sink.
 *
 * @param fcmAccessToken  OAuth bearer token FCM requests must carry; empty: see {@code fcmRequireIssuedToken}
 * @param fcmRequireIssuedToken without a fixed token: accept only tokens issued by the simulated Google OAuth
 *                        endpoint {@code /push/oauth2/token} (true) or any non-empty bearer token (false)
 * @param apnsAuthToken   bearer token (provider JWT) APNs requests must carry; empty: any non-empty bearer token
 * @param timeoutDelay    how long a token told to "time out" keeps the request hanging before answering 504
 * @param maxRecorded     how many received notifications are kept (oldest dropped first)
 */
@ConfigurationProperties(PushProperties.PREFIX)
public record PushProperties(
        String fcmAccessToken,
        @DefaultValue("false") boolean fcmRequireIssuedToken,
        String apnsAuthToken,
        @DefaultValue("30s") Duration timeoutDelay,
        @DefaultValue("1000") int maxRecorded) {

    public static final String PREFIX = "tim.simulators.push";
}

package de.tim.kafka.topics;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A pushkey a push gateway reported as {@code rejected} (Push Gateway API {@code POST /_matrix/push/v1/notify}
 * response). The homeserver of {@code domain} must stop notifying it and remove the pusher
 * ({@code app_id}, {@code pushkey}) of {@code userId}.
 *
 * @param domain     the homeserver domain of the notified user
 * @param userId     the user whose pusher is to be removed (absent if the notification record had none)
 * @param appId      the pusher's app id
 * @param pushkey    the rejected pushkey (also the record key)
 * @param gatewayUrl the push gateway that rejected it
 * @param rejectedTs when the delivery worker learned of the rejection (ms since epoch)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RejectedPushkeyRecord(
        String domain,
        String userId,
        String appId,
        String pushkey,
        String gatewayUrl,
        long rejectedTs) {

    public RejectedPushkeyRecord {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(pushkey, "pushkey");
        Objects.requireNonNull(gatewayUrl, "gatewayUrl");
    }

    /** The record key: the rejected pushkey. */
    public String key() {
        return pushkey;
    }
}

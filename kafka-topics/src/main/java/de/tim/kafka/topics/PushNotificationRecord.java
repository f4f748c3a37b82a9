package de.tim.kafka.topics;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A notification for one pusher, with the fields of the Matrix Push Gateway API's {@code notification}
 * object ({@code POST /_matrix/push/v1/notify}) and what the delivery worker needs to reach the gateway.
 *
 * @param id           deduplication id: stable for (event id, pushkey, app id)
 * @param domain       the homeserver domain of the notified user
 * @param userId       the notified user (never sent to a push provider)
 * @param gatewayUrl   the pusher's {@code data.url}, where the notification is posted
 * @param createdTs    when the homeserver produced the record (ms since epoch)
 * @param notification the notification object as the Push Gateway API defines it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PushNotificationRecord(
        String id,
        String domain,
        String userId,
        String gatewayUrl,
        long createdTs,
        Notification notification) {

    public PushNotificationRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(gatewayUrl, "gatewayUrl");
        Objects.requireNonNull(notification, "notification");
        if (notification.devices() == null || notification.devices().size() != 1) {
            throw new IllegalArgumentException("a push notification record addresses exactly one device");
        }
    }

    /** The record key: the pushkey of the one device addressed. */
    public String key() {
        return notification.devices().getFirst().pushkey();
    }

    /** Push Gateway API {@code Notification}. Fields absent for {@code event_id_only} pushers stay null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Notification(
            @JsonProperty("event_id") String eventId,
            @JsonProperty("room_id") String roomId,
            String type,
            String sender,
            @JsonProperty("sender_display_name") String senderDisplayName,
            @JsonProperty("room_name") String roomName,
            @JsonProperty("room_alias") String roomAlias,
            @JsonProperty("user_is_target") Boolean userIsTarget,
            String prio,
            ObjectNode content,
            Counts counts,
            List<Device> devices) {
    }

    /** Push Gateway API {@code Counts}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Counts(Long unread, @JsonProperty("missed_calls") Long missedCalls) {
    }

    /** Push Gateway API {@code Device}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Device(
            @JsonProperty("app_id") String appId,
            String pushkey,
            @JsonProperty("pushkey_ts") Long pushkeyTs,
            Map<String, Object> data,
            Map<String, Object> tweaks) {
        public Device {
            Objects.requireNonNull(appId, "app_id");
            Objects.requireNonNull(pushkey, "pushkey");
        }
    }
}

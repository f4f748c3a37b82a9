package de.tim.push.gateway;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import de.tim.kafka.topics.PushNotificationRecord.Device;
import de.tim.kafka.topics.PushNotificationRecord.Notification;

/**
 * What a provider may see of one notification for one device (A_22808). By default only what the app needs to
 * fetch and decrypt the event itself: event id, room id, unread and missed-call counts, priority. Further fields
 * only when the app's {@code forward-fields} enables them.
 *
 * @param appId   the pusher's app id
 * @param pushkey the device's provider token
 * @param eventId the event id, absent for count-only updates
 * @param highPriority whether the notification has priority {@code high} (the default)
 * @param unread  unread count, absent if zero/unknown
 * @param data    the fields sent to the provider as string values, in a stable order
 */
public record PushMessage(String appId, String pushkey, String eventId, boolean highPriority, Long unread,
                          Map<String, String> data) {

    /** Builds the provider-facing message, keeping only the minimum plus the enabled fields. */
    public static PushMessage of(Notification n, Device device, Set<NotificationField> forward) {
        Map<String, String> data = new LinkedHashMap<>();
        putIfPresent(data, "event_id", n.eventId());
        putIfPresent(data, "room_id", n.roomId());
        if (n.counts() != null) {
            putIfPresent(data, "unread", n.counts().unread());
            putIfPresent(data, "missed_calls", n.counts().missedCalls());
        }
        boolean high = !"low".equals(n.prio());
        data.put("prio", high ? "high" : "low");
        for (NotificationField field : NotificationField.values()) {
            if (!forward.contains(field)) {
                continue;
            }
            Object value = switch (field) {
                case TYPE -> n.type();
                case SENDER -> n.sender();
                case SENDER_DISPLAY_NAME -> n.senderDisplayName();
                case ROOM_NAME -> n.roomName();
                case ROOM_ALIAS -> n.roomAlias();
                case USER_IS_TARGET -> n.userIsTarget();
                case CONTENT -> n.content();
            };
            putIfPresent(data, field.wireName(), value);
        }
        Long unread = n.counts() == null ? null : n.counts().unread();
        return new PushMessage(device.appId(), device.pushkey(), n.eventId(), high, unread,
                Collections.unmodifiableMap(data));
    }

    private static void putIfPresent(Map<String, String> data, String key, Object value) {
        if (value != null) {
            data.put(key, value.toString());
        }
    }

    @Override
    public String toString() {
        // never print the pushkey or field values
        return "PushMessage[appId=" + appId + ", fields=" + data.keySet() + "]";
    }
}

package de.tim.push.delivery;

import java.util.List;
import java.util.Map;

import de.tim.kafka.topics.PushNotificationRecord;
import de.tim.kafka.topics.PushNotificationRecord.Counts;
import de.tim.kafka.topics.PushNotificationRecord.Device;
import de.tim.kafka.topics.PushNotificationRecord.Notification;

/** Push notification records as the homeserver publishes them. */
final class Records {

    private Records() {
    }

    static PushNotificationRecord notification(String eventId, String appId, String pushkey, String gatewayUrl) {
        Device device = new Device(appId, pushkey, 1_700_000_000L, Map.of("format", "event_id_only"), Map.of());
        Notification n = new Notification(eventId, "!room:praxis-a.tim.local", null, null, null, null, null, null, "high",
                null, new Counts(1L, null), List.of(device));
        return new PushNotificationRecord(eventId + "|" + pushkey + "|" + appId, "praxis-a.tim.local",
                "@bob:praxis-a.tim.local", gatewayUrl, System.currentTimeMillis(), n);
    }
}
